namespace IsolationOperator.Desired;

/// <summary>A DemoTenant's spec, validated and resolved against defaults and the clock: what the builders consume.</summary>
public sealed record TenantPlan
{
    public required string Tenant { get; init; }
    public required string Namespace { get; init; }
    /// <summary>metadata.uid of the DemoTenant: recorded on the namespace as proof of ownership.</summary>
    public string? TenantUid { get; init; }
    public required Profile Profile { get; init; }
    /// <summary>Profile quota with the spec's overrides applied, in canonical quantity form.</summary>
    public required IReadOnlyDictionary<string, string> Quota { get; init; }
    public DateTimeOffset? ExpiresAt { get; init; }
    public bool Suspended { get; init; }
    /// <summary>Access entries in force now (not expired).</summary>
    public required IReadOnlyList<AccessGrant> Access { get; init; }
    /// <summary>Guest entries in force (none while suspended), each with its ServiceAccount slot.</summary>
    public IReadOnlyList<GuestPlan> Guests { get; init; } = [];
    /// <summary>The longest token a guest may be issued (<see cref="PlannerPolicy.GuestTokenMaxLifetime"/>), reported in status.guests.</summary>
    public TimeSpan GuestTokenMaxLifetime { get; init; } = Desired.Guests.DefaultTokenMaxLifetime;
    /// <summary>Every access deadline still ahead: people's and guests' entries.</summary>
    public IEnumerable<AccessGrant> AllAccess => Access.Concat(Guests.Select(g => g.Grant));
    /// <summary>Access entries whose own deadline has passed.</summary>
    public IReadOnlyList<AccessGrant> ExpiredAccess { get; init; } = [];
    /// <summary>Access role ("view" or "edit") of the demo-workload ServiceAccount.</summary>
    public string WorkloadRole { get; init; } = RbacBuilder.DefaultWorkloadRole;
    public bool AllowDNS { get; init; } = true;
    public IReadOnlyList<string> IngressFromNamespaces { get; init; } = [];
    public IReadOnlyList<string> EgressCIDRs { get; init; } = [];
    /// <summary>Per egress CIDR, the denied ranges inside it (ipBlock.except).</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> EgressExcept { get; init; } = new Dictionary<string, IReadOnlyList<string>>();
    public IReadOnlyList<SecretPlan> Secrets { get; init; } = [];
    /// <summary>The operator's own in-namespace grant (<see cref="RbacBuilder.BuildOperatorBinding"/>), from its configuration.</summary>
    public OperatorAccess? OperatorAccess { get; init; }
    /// <summary>spec.isolation.nodes.selector: every pod of the demo is pinned to these node labels.</summary>
    public IReadOnlyDictionary<string, string> NodeSelector { get; init; } = new Dictionary<string, string>();
    /// <summary>spec.isolation.nodes.tolerations: the only tolerations the demo's pods get and may carry.</summary>
    public IReadOnlyList<k8s.Models.V1Toleration> Tolerations { get; init; } = [];
    /// <summary>spec.isolation.runtimeClassName.</summary>
    public string? RuntimeClassName { get; init; }
}

public sealed record AccessGrant(string Kind, string Name, string Role, DateTimeOffset? ExpiresAt);

public sealed record SecretPlan(string Name, IReadOnlyList<SecretKeyPlan> Keys, TimeSpan? RotateEvery);

public sealed record SecretKeyPlan(string Name, int Length);
