using System.Text.Json;
using IsolationOperator.Api.V1Alpha1;
using k8s.Models;

namespace IsolationOperator.Admission;

/// <summary>
/// Who asked, as the /mutate-demotenant webhook records it: annotation values are compact JSON,
/// {"user":"alice@vendor.example","groups":["se-team","system:authenticated"]}, the username and groups of the
/// admission request (what the API server authenticated, not what the client claims).
/// </summary>
public static class RequesterAnnotations
{
    public const string RequestedBy = "isolation.demo.dev/requested-by";
    public const string LastChangedBy = "isolation.demo.dev/last-changed-by";

    public static string Format(string user, IReadOnlyList<string> groups) =>
        JsonSerializer.Serialize(new Requester { User = user, Groups = groups.ToList() });

    /// <summary>Null when absent or unreadable (then status says nothing rather than something wrong).</summary>
    public static Requester? Parse(string? value)
    {
        if (string.IsNullOrWhiteSpace(value)) return null;
        try
        {
            var r = JsonSerializer.Deserialize<Requester>(value);
            return r is { User.Length: > 0 } ? r : null;
        }
        catch (JsonException) { return null; }
    }

    public static Requester? Of(V1ObjectMeta? meta, string annotation) =>
        meta?.Annotations is { } a && a.TryGetValue(annotation, out var v) ? Parse(v) : null;
}
