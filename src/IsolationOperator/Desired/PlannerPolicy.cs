namespace IsolationOperator.Desired;

/// <summary>
/// What the platform allows demos to claim: which namespaces and which subjects. A DemoTenant is written by a sales
/// engineer, yet its access subjects become admins of a namespace, so the limits belong to the platform, not the spec.
/// </summary>
public sealed record PlannerPolicy
{
    /// <summary>Namespaces the platform already runs or is likely to: a demo must never be created in, or adopt, one of them.</summary>
    public static readonly IReadOnlyList<string> BuiltInReservedNamespaces =
    [
        "default", "kube-system", "kube-public", "kube-node-lease",
        "isolation-system", "monitoring", "logging", "observability", "prometheus", "grafana", "loki", "tempo",
        "cert-manager", "ingress-nginx", "istio-system", "istio-ingress", "linkerd", "linkerd-viz", "cilium",
        "calico-system", "tigera-operator", "metallb-system", "external-dns", "external-secrets", "vault",
        "gatekeeper-system", "kyverno", "falco", "argocd", "flux-system", "tekton-pipelines", "velero",
        "local-path-storage",
    ];

    /// <summary>Every demo namespace starts with this, so a demo cannot squat on a name the platform may want later.</summary>
    public string NamespacePrefix { get; init; } = "demo-";

    /// <summary>Refused as spec.namespace even when they start with the prefix; names beginning with kube- always are.</summary>
    public IReadOnlyList<string> ReservedNamespaces { get; init; } = BuiltInReservedNamespaces;

    /// <summary>"Kind:name" entries (e.g. "Group:system:serviceaccounts:ci") exempt from the system: subject refusal.</summary>
    public IReadOnlyList<string> AllowedSystemSubjects { get; init; } = [];

    /// <summary>The most spec.quota may ask for, per key (<see cref="QuotaCaps"/>); an override above it is refused.</summary>
    public IReadOnlyDictionary<string, string> QuotaCaps { get; init; } = Desired.QuotaCaps.Defaults;

    /// <summary>Ranges no demo may reach (<see cref="EgressRules"/>): refused inside, emitted as ipBlock.except around.</summary>
    public IReadOnlyList<System.Net.IPNetwork> EgressDenyCidrs { get; init; } = EgressRules.ParseDenyList(EgressRules.DefaultDenyCidrs);

    /// <summary>Whether spec.network.egressCIDRs may name 0.0.0.0/0 or ::/0 (the deny-list still applies as except).</summary>
    public bool AllowEgressToAnywhere { get; init; }

    /// <summary>The longest token a guest's kubeconfig may carry (Operator__GuestTokenMaxLifetime, chart guests.tokenMaxLifetime).</summary>
    public TimeSpan GuestTokenMaxLifetime { get; init; } = Guests.DefaultTokenMaxLifetime;

    /// <summary>Who the operator is and the ClusterRole it binds itself to in each demo namespace; null: it holds those permissions.</summary>
    public OperatorAccess? OperatorAccess { get; init; }

    public static PlannerPolicy Default { get; } = new();
}
