using System.Text.Json;

namespace IsolationOperator.Tests.Integration.Infrastructure;

/// <summary>Reads the apiserver's JSON-lines audit log: the API server's own record of who did what.</summary>
public static class AuditLog
{
    public sealed record Entry(string User, string Verb, string? Resource, string? Namespace, string? Name, DateTimeOffset Received);

    private static readonly HashSet<string> WriteVerbs = ["create", "update", "patch", "delete", "deletecollection"];

    public static IReadOnlyList<Entry> Read(string path, string user, DateTimeOffset since)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream);
        var entries = new List<Entry>();
        while (reader.ReadLine() is { } line)
        {
            if (!line.Contains(user, StringComparison.Ordinal)) continue;
            using var doc = JsonDocument.Parse(line);
            var root = doc.RootElement;
            if (root.GetProperty("stage").GetString() != "ResponseComplete") continue;
            if (root.GetProperty("user").GetProperty("username").GetString() != user) continue;
            var received = root.GetProperty("requestReceivedTimestamp").GetDateTimeOffset();
            if (received < since) continue;
            root.TryGetProperty("objectRef", out var obj);
            string? Prop(string n) => obj.ValueKind == JsonValueKind.Object && obj.TryGetProperty(n, out var v) ? v.GetString() : null;
            entries.Add(new Entry(user, root.GetProperty("verb").GetString()!, Prop("resource"), Prop("namespace"), Prop("name"), received));
        }
        return entries;
    }

    public static IReadOnlyList<Entry> Writes(string path, string user, DateTimeOffset since) =>
        Read(path, user, since).Where(e => WriteVerbs.Contains(e.Verb)).ToList();
}
