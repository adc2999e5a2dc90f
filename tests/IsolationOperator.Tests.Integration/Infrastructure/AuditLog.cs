namespace IsolationOperator.Tests.Integration.Infrastructure;

/// <summary>The apiserver's audit log, read per user: the API server's own record of who did what.</summary>
public static class AuditLog
{
    private static readonly HashSet<string> WriteVerbs = ["create", "update", "patch", "delete", "deletecollection"];

    public static IReadOnlyList<AuditedRequest> Read(string path, string user, DateTimeOffset since) =>
        AuditedRequest.Read(path, user, since);

    public static IReadOnlyList<AuditedRequest> Writes(string path, string user, DateTimeOffset since) =>
        Read(path, user, since).Where(e => WriteVerbs.Contains(e.Verb)).ToList();
}
