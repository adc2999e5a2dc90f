using System.Text.Json.Serialization;
using k8s.Models;

namespace IsolationOperator.Api.V1Alpha1;

public sealed class DemoTenantStatus
{
    [JsonPropertyName("phase")] public string? Phase { get; set; }
    [JsonPropertyName("namespace")] public string? Namespace { get; set; }
    [JsonPropertyName("observedGeneration")] public long? ObservedGeneration { get; set; }
    [JsonPropertyName("expiresAt")] public DateTimeOffset? ExpiresAt { get; set; }
    [JsonPropertyName("conditions")] public IList<V1Condition>? Conditions { get; set; }
    [JsonPropertyName("managedResources")] public IList<ManagedResource>? ManagedResources { get; set; }
    [JsonPropertyName("secrets")] public IList<SecretStatus>? Secrets { get; set; }
    /// <summary>When the demo expired and its access and namespace were removed; the DemoTenant stays as the record.</summary>
    [JsonPropertyName("expiredAt")] public DateTimeOffset? ExpiredAt { get; set; }
    /// <summary>The last time the expiry was moved later, and by which field manager (kubectl, a pipeline, ...).</summary>
    [JsonPropertyName("extendedAt")] public DateTimeOffset? ExtendedAt { get; set; }
    [JsonPropertyName("extendedBy")] public string? ExtendedBy { get; set; }
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
    [JsonPropertyName("lastRotated")] public DateTimeOffset? LastRotated { get; init; }
}
