using System.Text.Json;

namespace IsolationOperator.Tests.Integration.Infrastructure;

/// <summary>
/// One request of one user as the API server's audit log records it, with what RBAC decided on: API group,
/// resource and subresource, verb, namespace, name; and the response code. Watches are recorded when they start
/// (they complete only when the stream closes).
/// </summary>
public sealed record AuditedRequest(
    string AuditId, string Verb, string? Group, string? Resource, string? Subresource, string? Namespace, string? Name,
    int? Code, string RequestUri, DateTimeOffset Received)
{
    /// <summary>Resource as RBAC names it: "demotenants/status" for a subresource; null for a non-resource URL.</summary>
    public string? RbacResource => Resource is null ? null : Subresource is null ? Resource : $"{Resource}/{Subresource}";

    public override string ToString() =>
        $"{Verb} {(Group is null or "" ? "core" : Group)}/{RbacResource ?? RequestUri}" +
        $"{(Namespace is null ? "" : $" in {Namespace}")}{(Name is null ? "" : $" named {Name}")} -> {Code}";

    public static IReadOnlyList<AuditedRequest> Read(string auditLogPath, string user, DateTimeOffset since)
    {
        var byId = new Dictionary<string, AuditedRequest>();
        using var stream = new FileStream(auditLogPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream);
        while (reader.ReadLine() is { } line)
        {
            if (!line.Contains(user, StringComparison.Ordinal)) continue;
            using var doc = JsonDocument.Parse(line);
            var root = doc.RootElement;
            var stage = root.GetProperty("stage").GetString();
            if (stage is not ("ResponseStarted" or "ResponseComplete")) continue;
            if (root.GetProperty("user").GetProperty("username").GetString() != user) continue;
            var received = root.GetProperty("requestReceivedTimestamp").GetDateTimeOffset();
            if (received < since) continue;

            var id = root.GetProperty("auditID").GetString()!;
            if (stage == "ResponseStarted" && byId.ContainsKey(id)) continue; // the completed record wins
            root.TryGetProperty("objectRef", out var obj);
            string? Prop(JsonElement e, string n) => e.ValueKind == JsonValueKind.Object && e.TryGetProperty(n, out var v) ? v.GetString() : null;
            int? code = root.TryGetProperty("responseStatus", out var status) && status.TryGetProperty("code", out var c) ? c.GetInt32() : null;
            var resource = Prop(obj, "resource");
            byId[id] = new AuditedRequest(id, root.GetProperty("verb").GetString()!,
                resource is null ? null : Prop(obj, "apiGroup") ?? "", resource, Prop(obj, "subresource"),
                Prop(obj, "namespace"), Prop(obj, "name"), code, root.GetProperty("requestURI").GetString()!, received);
        }

        return byId.Values.OrderBy(r => r.Received).ToList();
    }
}
