using System.Text.Json;

namespace IsolationOperator.Bench;

/// <summary>One user's API requests in a time window, as the API server's audit log records them.</summary>
public sealed record AuditCounts(int Writes, int Lists, int Gets, int Watches, int Other, IReadOnlyDictionary<string, int> ByVerbAndResource)
{
    private static readonly HashSet<string> WriteVerbs = ["create", "update", "patch", "delete", "deletecollection"];

    public int NonWatch => Writes + Lists + Gets + Other;

    /// <summary>
    /// Requests of <paramref name="user"/> received in [from, to). Leases are left out (leader election is off here,
    /// and a lease renewal is not work caused by tenants).
    /// </summary>
    public static AuditCounts Read(string path, string user, DateTimeOffset from, DateTimeOffset to)
    {
        var seen = new HashSet<string>();
        var byKey = new SortedDictionary<string, int>(StringComparer.Ordinal);
        int writes = 0, lists = 0, gets = 0, watches = 0, other = 0;
        var needle = $"\"username\":\"{user}\"";
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream);
        while (reader.ReadLine() is { } line)
        {
            if (!line.Contains(needle, StringComparison.Ordinal)) continue;
            using var doc = JsonDocument.Parse(line);
            var root = doc.RootElement;
            // A watch is logged when it starts (ResponseStarted) and again when it ends: count each audit ID once.
            if (!seen.Add(root.GetProperty("auditID").GetString()!)) continue;
            var received = root.GetProperty("requestReceivedTimestamp").GetDateTimeOffset();
            if (received < from || received >= to) continue;
            var verb = root.GetProperty("verb").GetString()!;
            var resource = root.TryGetProperty("objectRef", out var o) && o.TryGetProperty("resource", out var r) ? r.GetString() : null;
            if (resource == "leases") continue;
            switch (verb)
            {
                case "list": lists++; break;
                case "get": gets++; break;
                case "watch": watches++; break;
                default: if (WriteVerbs.Contains(verb)) writes++; else other++; break;
            }
            var key = $"{verb} {resource ?? root.GetProperty("requestURI").GetString()}";
            byKey[key] = byKey.GetValueOrDefault(key) + 1;
        }
        return new AuditCounts(writes, lists, gets, watches, other, byKey);
    }
}
