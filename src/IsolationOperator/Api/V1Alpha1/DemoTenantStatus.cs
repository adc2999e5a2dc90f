using System.Text.Json.Serialization;
using k8s.Models;

namespace IsolationOperator.Api.V1Alpha1;

public sealed class DemoTenantStatus
{
    [JsonPropertyName("phase")] public string? Phase { get; set; }
    [JsonPropertyName("namespace")] public string? Namespace { get; set; }
    [JsonPropertyName("observedGeneration")] public long? ObservedGeneration { get; set; }
    [JsonPropertyName("expiresAt")] [JsonConverter(typeof(LenientDateTimeConverter))] public DateTimeOffset? ExpiresAt { get; set; }
    [JsonPropertyName("conditions")] public IList<V1Condition>? Conditions { get; set; }
    /// <summary>The Guest access entries in force, each with the ServiceAccount the operator keeps for it.</summary>
    [JsonPropertyName("guests")] public IList<GuestStatus>? Guests { get; set; }
    [JsonPropertyName("managedResources")] public IList<ManagedResource>? ManagedResources { get; set; }
    [JsonPropertyName("secrets")] public IList<SecretStatus>? Secrets { get; set; }
    /// <summary>When the demo expired and its access and namespace were removed; the DemoTenant stays as the record.</summary>
    [JsonPropertyName("expiredAt")] [JsonConverter(typeof(LenientDateTimeConverter))] public DateTimeOffset? ExpiredAt { get; set; }
    /// <summary>The last time the expiry was moved later, and by whom: the person the admission webhook recorded, else the field manager (kubectl, a pipeline, ...).</summary>
    [JsonPropertyName("extendedAt")] [JsonConverter(typeof(LenientDateTimeConverter))] public DateTimeOffset? ExtendedAt { get; set; }
    [JsonPropertyName("extendedBy")] public string? ExtendedBy { get; set; }
    /// <summary>Who created the demo, from the admission webhook's isolation.demo.dev/requested-by annotation.</summary>
    [JsonPropertyName("requestedBy")] public Requester? RequestedBy { get; set; }
    /// <summary>Who last changed the spec, from the admission webhook's isolation.demo.dev/last-changed-by annotation.</summary>
    [JsonPropertyName("lastChangedBy")] public Requester? LastChangedBy { get; set; }
    /// <summary>
    /// Present while the demo is suspended: the replica counts to restore, kept here because tenants cannot write
    /// status (an annotation on the workload would let a prospect choose what resume restores).
    /// </summary>
    [JsonPropertyName("suspension")] public SuspensionStatus? Suspension { get; set; }
    /// <summary>The last isolation verification: what was asked of the API server and what it showed (IsolationVerified).</summary>
    [JsonPropertyName("verification")] public VerificationStatus? Verification { get; set; }
    /// <summary>The demo's audit trail: how many records it holds and the hash of the last (README "Audit trail").</summary>
    [JsonPropertyName("audit")] public AuditStatus? Audit { get; set; }
}

/// <summary>
/// A guest (spec.access kind Guest) and its ServiceAccount. The account's name is a slot (guest-1 … guest-16) that the
/// chart's tenant-guest-token-issuer ClusterRole names, so the demo's admins may request tokens for these accounts only.
/// </summary>
public sealed record GuestStatus
{
    [JsonPropertyName("name")] public string Name { get; init; } = "";
    [JsonPropertyName("serviceAccount")] public string ServiceAccount { get; init; } = "";
    [JsonPropertyName("role")] public string Role { get; init; } = "";
    /// <summary>When this guest's access ends: the entry's expiresAt or the demo's expiry, the earlier.</summary>
    [JsonPropertyName("expiresAt")] [JsonConverter(typeof(LenientDateTimeConverter))] public DateTimeOffset? ExpiresAt { get; init; }
    /// <summary>The longest token lifetime the platform allows (Operator__GuestTokenMaxLifetime, chart guests.tokenMaxLifetime).</summary>
    [JsonPropertyName("tokenMaxSeconds")] public long? TokenMaxSeconds { get; init; }
}

/// <summary>The head of the demo's audit trail, as stored in the operator's namespace.</summary>
public sealed class AuditStatus
{
    [JsonPropertyName("records")] public long Records { get; set; }
    /// <summary>SHA-256 of the last record: compare with `isolation-operator audit verify` and the stdout anchors.</summary>
    [JsonPropertyName("head")] public string? Head { get; set; }
    /// <summary>A digest of what the trail last recorded; the operator reads the trail again only when it differs.</summary>
    [JsonPropertyName("state")] public string? State { get; set; }
    /// <summary>The newest records in short (at most <see cref="RecentLimit"/>): the timeline for whoever may read the DemoTenant.</summary>
    [JsonPropertyName("recent")] public IList<AuditSummary>? Recent { get; set; }

    public const int RecentLimit = 10;
}

/// <summary>One audit record in short: no reason text, no signature; `isolation-operator audit show` has the rest.</summary>
public sealed record AuditSummary
{
    [JsonPropertyName("seq")] public long Seq { get; init; }
    [JsonPropertyName("time")] [JsonConverter(typeof(LenientDateTimeConverter))] public DateTimeOffset? Time { get; init; }
    [JsonPropertyName("action")] public string Action { get; init; } = "";
    [JsonPropertyName("objects")] public IList<string>? Objects { get; init; }
    /// <summary>The person the admission webhook recorded, when it did.</summary>
    [JsonPropertyName("by")] public string? By { get; init; }
}

/// <summary>What the verifier asked the API server, as the prospect and the workload, and the paths it found.</summary>
public sealed class VerificationStatus
{
    [JsonPropertyName("time")] [JsonConverter(typeof(LenientDateTimeConverter))] public DateTimeOffset? Time { get; set; }
    /// <summary>metadata.generation of the DemoTenant the verification ran for.</summary>
    [JsonPropertyName("observedGeneration")] public long? ObservedGeneration { get; set; }
    [JsonPropertyName("checksRun")] public int? ChecksRun { get; set; }
    /// <summary>The checks that failed, each "subject: what it could do (expected not)".</summary>
    [JsonPropertyName("failed")] public IList<string>? Failed { get; set; }
    /// <summary>Objects outside the operator's own that open a way in or out.</summary>
    [JsonPropertyName("paths")] public IList<IsolationPath>? Paths { get; set; }
}

/// <summary>An object that widens the demo's boundary: what it is, who last changed it, what it opens.</summary>
public sealed record IsolationPath
{
    [JsonPropertyName("kind")] public string Kind { get; init; } = "";
    [JsonPropertyName("namespace")] public string? Namespace { get; init; }
    [JsonPropertyName("name")] public string Name { get; init; } = "";
    /// <summary>The field manager of its last change (managedFields), e.g. kubectl-client-side-apply.</summary>
    [JsonPropertyName("changedBy")] public string? ChangedBy { get; init; }
    [JsonPropertyName("opens")] public string Opens { get; init; } = "";
}

/// <summary>A person as the API server authenticated them in an admission request.</summary>
public sealed record Requester
{
    [JsonPropertyName("user")] public string User { get; init; } = "";
    [JsonPropertyName("groups")] public IList<string>? Groups { get; init; }
}

public sealed class SuspensionStatus
{
    [JsonPropertyName("since")] [JsonConverter(typeof(LenientDateTimeConverter))] public DateTimeOffset? Since { get; set; }
    [JsonPropertyName("workloads")] public IList<SuspendedWorkload>? Workloads { get; set; }
    /// <summary>True once everything was stopped; until then every pass stops what still runs.</summary>
    [JsonPropertyName("stopped")] public bool? Stopped { get; set; }
}

public sealed record SuspendedWorkload
{
    /// <summary>Deployment | StatefulSet | ReplicaSet.</summary>
    [JsonPropertyName("kind")] public string Kind { get; init; } = "";
    [JsonPropertyName("name")] public string Name { get; init; } = "";
    [JsonPropertyName("replicas")] public int Replicas { get; init; }
}

public sealed record ManagedResource
{
    [JsonPropertyName("apiVersion")] public string ApiVersion { get; init; } = "";
    [JsonPropertyName("kind")] public string Kind { get; init; } = "";
    [JsonPropertyName("name")] public string Name { get; init; } = "";
}

public sealed record SecretStatus
{
    [JsonPropertyName("name")] public string Name { get; init; } = "";
    [JsonPropertyName("keys")] public IList<string>? Keys { get; init; }
    [JsonPropertyName("lastRotated")] [JsonConverter(typeof(LenientDateTimeConverter))] public DateTimeOffset? LastRotated { get; init; }
    /// <summary>
    /// A random mark written here before the operator generates values, and onto the Secret with them: a Secret is
    /// the operator's only when it carries this mark (or the previous one, while a rotation is being written), so a
    /// Secret planted under the same name is never adopted. Tenants can neither read nor write it here.
    /// </summary>
    [JsonPropertyName("generationId")] public string? GenerationId { get; init; }
    [JsonPropertyName("previousGenerationId")] public string? PreviousGenerationId { get; init; }
}
