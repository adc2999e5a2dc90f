using System.Text.Json.Serialization;
using k8s;
using k8s.Models;

namespace IsolationOperator.Api.V1Alpha1;

/// <summary>One prospect's isolated demo environment (cluster-scoped). The CRD in crds/ is checked against this model.</summary>
public sealed class DemoTenant : IKubernetesObject<V1ObjectMeta>
{
    public const string Group = "isolation.demo.dev";
    public const string Version = "v1alpha1";
    public const string KindName = "DemoTenant";
    public const string Plural = "demotenants";
    public const string ApiGroupVersion = Group + "/" + Version;

    [JsonPropertyName("apiVersion")] public string ApiVersion { get; set; } = ApiGroupVersion;
    [JsonPropertyName("kind")] public string Kind { get; set; } = KindName;
    [JsonPropertyName("metadata")] public V1ObjectMeta Metadata { get; set; } = new();
    [JsonPropertyName("spec")] public DemoTenantSpec Spec { get; set; } = new();
    [JsonPropertyName("status")] public DemoTenantStatus? Status { get; set; }
}

public sealed class DemoTenantList : IKubernetesObject<V1ListMeta>, IItems<DemoTenant>
{
    [JsonPropertyName("apiVersion")] public string ApiVersion { get; set; } = DemoTenant.ApiGroupVersion;
    [JsonPropertyName("kind")] public string Kind { get; set; } = "DemoTenantList";
    [JsonPropertyName("metadata")] public V1ListMeta Metadata { get; set; } = new();
    [JsonPropertyName("items")] public IList<DemoTenant> Items { get; set; } = new List<DemoTenant>();
}
