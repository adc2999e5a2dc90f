using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using IsolationOperator.Api.V1Alpha1;

namespace IsolationOperator.Audit;

/// <summary>
/// One step of a demo's life as the audit trail keeps it (schema isolation.demo.dev/audit/v1, README "Audit trail").
/// Names objects and secrets, never values. <see cref="Hash"/> covers every other field including <see cref="Prev"/>,
/// and <see cref="Hmac"/> covers the hash with the key named by <see cref="Key"/>.
/// </summary>
public sealed record AuditRecord
{
    public const string Schema = "isolation.demo.dev/audit/v1";

    [JsonPropertyName("schema")] public string SchemaVersion { get; init; } = Schema;
    [JsonPropertyName("tenant")] public required string Tenant { get; init; }
    [JsonPropertyName("uid")] public required string Uid { get; init; }
    [JsonPropertyName("seq")] public required long Seq { get; init; }
    [JsonPropertyName("time")] public required DateTimeOffset Time { get; init; }
    /// <summary>Provisioned, AccessGranted, AccessExpired, AccessRevoked, Extended, Suspended, Resumed, SecretGenerated,
    /// SecretRotated, DriftCorrected, VerificationChanged, Expired, Deleted.</summary>
    [JsonPropertyName("action")] public required string Action { get; init; }
    [JsonPropertyName("objects")] public IReadOnlyList<string> Objects { get; init; } = [];
    [JsonPropertyName("reason")] public string Reason { get; init; } = "";
    [JsonPropertyName("generation")] public long? Generation { get; init; }
    /// <summary>Who asked, as the admission webhook recorded it; null for what time or the cluster caused.</summary>
    [JsonPropertyName("requester")] public Requester? Requester { get; init; }
    [JsonPropertyName("operator")] public required OperatorRef Operator { get; init; }
    [JsonPropertyName("key")] public string Key { get; init; } = "";
    [JsonPropertyName("prev")] public string Prev { get; init; } = "";
    [JsonPropertyName("hash")] public string Hash { get; init; } = "";
    [JsonPropertyName("hmac")] public string Hmac { get; init; } = "";

    private static readonly JsonSerializerOptions Canonical = new() { WriteIndented = false, DefaultIgnoreCondition = JsonIgnoreCondition.Never };

    public string ToJson() => JsonSerializer.Serialize(this, Canonical);

    public static AuditRecord FromJson(string json) => JsonSerializer.Deserialize<AuditRecord>(json, Canonical)
        ?? throw new JsonException("empty audit record");

    /// <summary>SHA-256 (hex) of the record as serialized with hash and hmac empty: property order is declaration order.</summary>
    public string ComputeHash() =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes((this with { Hash = "", Hmac = "" }).ToJson())));

    public static string ComputeHmac(byte[] key, string hash) => Convert.ToHexStringLower(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(hash)));
}

/// <summary>Which operator wrote a record: its identity (user, or replica when it has none) and build version.</summary>
public sealed record OperatorRef
{
    [JsonPropertyName("identity")] public string Identity { get; init; } = "";
    [JsonPropertyName("version")] public string Version { get; init; } = "";
}
