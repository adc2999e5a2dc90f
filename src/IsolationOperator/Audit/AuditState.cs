using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using IsolationOperator.Api.V1Alpha1;

namespace IsolationOperator.Audit;

/// <summary>
/// What the trail last recorded about a demo: enough of the world to tell, after any crash, which steps happened
/// that no record names yet. Records come from the difference between this and the demo as it now is, so an action
/// whose record was lost to a kill is recorded on the next pass, and an action that did not happen never is.
/// </summary>
public sealed record AuditState
{
    [JsonPropertyName("namespace")] public string? Namespace { get; init; }
    [JsonPropertyName("expiresAt")] public DateTimeOffset? ExpiresAt { get; init; }
    [JsonPropertyName("expiredAt")] public DateTimeOffset? ExpiredAt { get; init; }
    [JsonPropertyName("suspended")] public bool Suspended { get; init; }
    /// <summary>People bound now, sorted: "Group prospect-acme (tenant-edit)".</summary>
    [JsonPropertyName("access")] public IReadOnlyList<string> Access { get; init; } = [];
    /// <summary>Generated Secret name to when its values were last generated (read from the Secret written; never a value).
    /// A mark recorded before values exist is not yet a generation: a crash there records nothing.</summary>
    [JsonPropertyName("secrets")] public IReadOnlyDictionary<string, string> Secrets { get; init; } = new SortedDictionary<string, string>(StringComparer.Ordinal);
    [JsonPropertyName("verified")] public string? Verified { get; init; }
    [JsonPropertyName("deletedAt")] public DateTimeOffset? DeletedAt { get; init; }

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = false };

    public string ToJson() => JsonSerializer.Serialize(this, Json);
    public static AuditState? FromJson(string? json) => string.IsNullOrEmpty(json) ? null : JsonSerializer.Deserialize<AuditState>(json, Json);

    /// <summary>A short digest for status.audit.state: when it matches, the trail is known to be current without a read.</summary>
    public string Digest() => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(ToJson())))[..16];

    /// <summary>The state a status about to be written describes, with the people bound now.</summary>
    public static AuditState Of(DemoTenantStatus status, IEnumerable<string> access, DateTimeOffset? deletedAt = null) => new()
    {
        Namespace = string.IsNullOrEmpty(status.Namespace) ? null : status.Namespace,
        ExpiresAt = status.ExpiresAt,
        ExpiredAt = status.ExpiredAt,
        Suspended = status.Phase == Phases.Suspended || status.Suspension is not null,
        Access = access.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList(),
        Secrets = new SortedDictionary<string, string>((status.Secrets ?? []).Where(s => s.LastRotated is not null)
            .ToDictionary(s => s.Name, s => s.LastRotated!.Value.UtcDateTime.ToString("O", System.Globalization.CultureInfo.InvariantCulture), StringComparer.Ordinal),
            StringComparer.Ordinal),
        Verified = status.Conditions?.FirstOrDefault(c => c.Type == ConditionTypes.IsolationVerified) is { } c ? c.Status : null,
        DeletedAt = deletedAt,
    };
}

/// <summary>A record before it is linked into the chain: what happened, to what, why, and who asked.</summary>
public sealed record AuditEntry(string Action, IReadOnlyList<string> Objects, string Reason, Requester? Requester = null);

/// <summary>The records that take the trail from one state to the next. Pure.</summary>
public static class AuditDiff
{
    /// <param name="requestedBy">Who created the demo (admission identity), for Provisioned.</param>
    /// <param name="changedBy">Who last changed the spec (admission identity), for what a spec change causes.</param>
    /// <param name="expiredAccess">Access entries whose own expiresAt has passed, "Kind Name": removals of those expired.</param>
    public static IReadOnlyList<AuditEntry> Between(AuditState? before, AuditState now, Requester? requestedBy, Requester? changedBy,
        IReadOnlyCollection<string> expiredAccess)
    {
        var b = before ?? new AuditState();
        var entries = new List<AuditEntry>();

        if (b.Namespace is null && now.Namespace is not null)
            entries.Add(new("Provisioned", [$"Namespace {now.Namespace}"], $"Demo provisioned in namespace {now.Namespace}, expiring {Time(now.ExpiresAt)}.", requestedBy));

        foreach (var (name, mark) in now.Secrets)
        {
            if (!b.Secrets.TryGetValue(name, out var was)) entries.Add(new("SecretGenerated", [$"Secret {name}"], "Values generated for this demo alone (names only are recorded)."));
            else if (was != mark) entries.Add(new("SecretRotated", [$"Secret {name}"], "All values regenerated (names only are recorded)."));
        }
        foreach (var name in b.Secrets.Keys.Except(now.Secrets.Keys, StringComparer.Ordinal))
            entries.Add(new("SecretRemoved", [$"Secret {name}"], "No longer asked for by the spec; deleted."));

        if (b.ExpiresAt is { } from && now.ExpiresAt is { } to && to != from && b.ExpiredAt is null)
            entries.Add(to > from
                ? new("Extended", [], $"Expiry moved from {Time(from)} to {Time(to)}.", changedBy)
                : new("Shortened", [], $"Expiry moved from {Time(from)} to {Time(to)}.", changedBy));

        if (!b.Suspended && now.Suspended)
            entries.Add(new("Suspended", b.Access.Except(now.Access).Select(a => $"access {a}").ToList(), "Access removed and workloads stopped; data and secrets kept.", changedBy));
        else if (b.Suspended && !now.Suspended && now.ExpiredAt is null)
            entries.Add(new("Resumed", now.Access.Except(b.Access).Select(a => $"access {a}").ToList(), "Access restored and workloads scaled back.", changedBy));

        // Access changes the lifecycle explains (suspension, resume, expiry) are in those records, not repeated here.
        var lifecycle = b.Suspended != now.Suspended || now.ExpiredAt is not null;
        if (!lifecycle)
        {
            foreach (var a in now.Access.Except(b.Access, StringComparer.Ordinal))
                entries.Add(new("AccessGranted", [$"access {a}"], "Bound to the demo's namespace as the spec asks.", b.Namespace is null ? requestedBy : changedBy));
            foreach (var a in b.Access.Except(now.Access, StringComparer.Ordinal))
            {
                var expired = expiredAccess.Any(e => a.StartsWith(e + " ", StringComparison.Ordinal));
                entries.Add(expired
                    ? new("AccessExpired", [$"access {a}"], "The access entry's own expiresAt passed; its binding was removed.")
                    : new("AccessRevoked", [$"access {a}"], "No longer granted by the spec; its binding was removed.", changedBy));
            }
        }

        if (b.Verified != now.Verified && now.Verified is not null)
            entries.Add(new("VerificationChanged", [], now.Verified == "True" ? "IsolationVerified is True: the boundary holds as checked." : "IsolationVerified is False: see status.verification for the failing checks and paths."));

        if (b.ExpiredAt is null && now.ExpiredAt is { } at)
            entries.Add(new("Expired", now.Namespace is null ? [] : [$"Namespace {now.Namespace}"], $"Expired at {Time(at)}: every binding and the ServiceAccount revoked, the namespace deleted."));

        if (b.DeletedAt is null && now.DeletedAt is { } gone)
            entries.Add(new("Deleted", now.Namespace is null ? [] : [$"Namespace {now.Namespace}"], $"DemoTenant deleted; its namespace is gone ({Time(gone)}). This trail is kept for the retention period."));
        return entries;
    }

    private static string Time(DateTimeOffset? t) => t is { } v ? v.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture) : "never";
}
