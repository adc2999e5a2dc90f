using System.Text.Json.Serialization;

namespace IsolationOperator.Api.V1Alpha1;

// Optional fields stay nullable: a value type would always serialise and claim the field in a server-side apply.
public sealed class DemoTenantSpec
{
    /// <summary>Display name of the prospect.</summary>
    [JsonPropertyName("prospect")] public string Prospect { get; set; } = "";
    /// <summary>The accountable sales engineer.</summary>
    [JsonPropertyName("owner")] public string Owner { get; set; } = "";
    /// <summary>Namespace to create; default demo-&lt;metadata.name&gt;. Immutable once provisioned.</summary>
    [JsonPropertyName("namespace")] public string? Namespace { get; set; }
    /// <summary>small | medium | large: quota and limit presets.</summary>
    [JsonPropertyName("profile")] public string? Profile { get; set; }
    /// <summary>Lifetime from creation, as a Go duration (168h, 90m, 20s). expiresAt wins when both are set.</summary>
    [JsonPropertyName("ttl")] public string? Ttl { get; set; }
    [JsonPropertyName("expiresAt")] [JsonConverter(typeof(LenientDateTimeConverter))] public DateTimeOffset? ExpiresAt { get; set; }
    [JsonPropertyName("suspended")] public bool? Suspended { get; set; }
    [JsonPropertyName("access")] public IList<AccessEntry>? Access { get; set; }
    /// <summary>view | edit: the demo-workload ServiceAccount's role; default view, so a pod's token cannot change the demo.</summary>
    [JsonPropertyName("workloadRole")] public string? WorkloadRole { get; set; }
    [JsonPropertyName("network")] public NetworkSpec? Network { get; set; }
    /// <summary>Overrides of the profile's ResourceQuota, e.g. requests.cpu: "2".</summary>
    [JsonPropertyName("quota")] public IDictionary<string, k8s.Models.IntOrString>? Quota { get; set; }
    [JsonPropertyName("secrets")] public IList<SecretSpec>? Secrets { get; set; }
    /// <summary>Where the demo's pods may run: its own nodes, a sandboxed runtime.</summary>
    [JsonPropertyName("isolation")] public IsolationSpec? Isolation { get; set; }
}

public sealed class AccessEntry
{
    /// <summary>
    /// User | Group (identity-provider groups as the cluster's authenticator reports them) | Guest (a prospect with no
    /// account: name is a label such as jane-at-acme; the operator keeps a ServiceAccount for it, see GuestStatus).
    /// </summary>
    [JsonPropertyName("kind")] public string Kind { get; set; } = "";
    [JsonPropertyName("name")] public string Name { get; set; } = "";
    /// <summary>admin | edit | view.</summary>
    [JsonPropertyName("role")] public string Role { get; set; } = "";
    /// <summary>Access ends at this moment while the rest of the tenant stays.</summary>
    [JsonPropertyName("expiresAt")] [JsonConverter(typeof(LenientDateTimeConverter))] public DateTimeOffset? ExpiresAt { get; set; }
}

public sealed class NetworkSpec
{
    [JsonPropertyName("allowDNS")] public bool? AllowDNS { get; set; }
    [JsonPropertyName("ingressFromNamespaces")] public IList<string>? IngressFromNamespaces { get; set; }
    [JsonPropertyName("egressCIDRs")] public IList<string>? EgressCIDRs { get; set; }
    /// <summary>Ingresses may be created in the namespace (hosts, classes and annotations limited by the platform). Default false.</summary>
    [JsonPropertyName("allowIngress")] public bool? AllowIngress { get; set; }
    /// <summary>Services of type ExternalName may be created in the namespace. Default false.</summary>
    [JsonPropertyName("allowExternalName")] public bool? AllowExternalName { get; set; }
}

public sealed class IsolationSpec
{
    [JsonPropertyName("nodes")] public NodeIsolationSpec? Nodes { get; set; }
    /// <summary>RuntimeClass every pod of the demo runs with (a sandbox such as gVisor or Kata).</summary>
    [JsonPropertyName("runtimeClassName")] public string? RuntimeClassName { get; set; }
}

/// <summary>The demo's own nodes: every pod gets this node selector and these tolerations, and may carry no others.</summary>
public sealed class NodeIsolationSpec
{
    [JsonPropertyName("selector")] public IDictionary<string, string>? Selector { get; set; }
    [JsonPropertyName("tolerations")] public IList<k8s.Models.V1Toleration>? Tolerations { get; set; }
}

public sealed class SecretSpec
{
    [JsonPropertyName("name")] public string Name { get; set; } = "";
    [JsonPropertyName("keys")] public IList<SecretKeySpec> Keys { get; set; } = new List<SecretKeySpec>();
    /// <summary>Regenerate the values on this schedule (Go duration); never when absent.</summary>
    [JsonPropertyName("rotateEvery")] public string? RotateEvery { get; set; }
}

public sealed class SecretKeySpec
{
    [JsonPropertyName("name")] public string Name { get; set; } = "";
    [JsonPropertyName("length")] public int? Length { get; set; }
}
