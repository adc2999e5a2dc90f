using System.Text.Json;

namespace IsolationOperator.Admission;

/// <summary>Null-tolerant reads of an admission object: a missing or mistyped field reads as absent.</summary>
internal static class JsonRead
{
    public static JsonElement? Get(this JsonElement? element, params string[] path)
    {
        var current = element;
        foreach (var name in path)
        {
            if (current is not { ValueKind: JsonValueKind.Object } o || !o.TryGetProperty(name, out var next)) return null;
            current = next;
        }
        return current is { ValueKind: JsonValueKind.Null or JsonValueKind.Undefined } ? null : current;
    }

    public static JsonElement? Get(this JsonElement element, params string[] path) => ((JsonElement?)element).Get(path);

    public static string? Str(this JsonElement? element, params string[] path) =>
        element.Get(path) is { ValueKind: JsonValueKind.String } s ? s.GetString() : null;

    public static string? Str(this JsonElement element, params string[] path) => ((JsonElement?)element).Str(path);

    public static bool? Bool(this JsonElement? element, params string[] path) =>
        element.Get(path) is { ValueKind: JsonValueKind.True or JsonValueKind.False } b ? b.GetBoolean() : null;

    public static bool? Bool(this JsonElement element, params string[] path) => ((JsonElement?)element).Bool(path);

    public static long? Long(this JsonElement? element, params string[] path) =>
        element.Get(path) is { ValueKind: JsonValueKind.Number } n && n.TryGetInt64(out var v) ? v : null;

    public static long? Long(this JsonElement element, params string[] path) => ((JsonElement?)element).Long(path);

    public static IEnumerable<JsonElement> Items(this JsonElement? element, params string[] path) =>
        element.Get(path) is { ValueKind: JsonValueKind.Array } a ? a.EnumerateArray().ToList() : [];

    public static IEnumerable<JsonElement> Items(this JsonElement element, params string[] path) => ((JsonElement?)element).Items(path);

    /// <summary>A string map (labels, annotations, nodeSelector); non-string values are skipped.</summary>
    public static IReadOnlyDictionary<string, string> Map(this JsonElement? element, params string[] path)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        if (element.Get(path) is { ValueKind: JsonValueKind.Object } o)
            foreach (var p in o.EnumerateObject())
                if (p.Value.ValueKind == JsonValueKind.String) map[p.Name] = p.Value.GetString()!;
        return map;
    }

    public static IReadOnlyDictionary<string, string> Map(this JsonElement element, params string[] path) => ((JsonElement?)element).Map(path);

    public static IEnumerable<string> Strings(this JsonElement element, params string[] path) =>
        element.Items(path).Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString()!);
}
