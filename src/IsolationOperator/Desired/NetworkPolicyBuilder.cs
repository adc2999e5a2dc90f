using k8s.Models;

namespace IsolationOperator.Desired;

/// <summary>Deny by default; each allowance the spec names is its own small, readable policy.</summary>
public static class NetworkPolicyBuilder
{
    public const string DefaultDeny = "default-deny";
    public const string AllowSameNamespace = "allow-same-namespace";
    public const string AllowDNS = "allow-dns";
    public const string AllowIngressFromNamespaces = "allow-ingress-from-namespaces";
    public const string AllowEgressToCidrs = "allow-egress-to-cidrs";
    // Set by the API server on every namespace since Kubernetes 1.21; label kube-system yourself on older clusters.
    public const string NamespaceNameLabel = "kubernetes.io/metadata.name";

    public static IReadOnlyList<V1NetworkPolicy> Build(TenantPlan plan)
    {
        var all = new List<V1NetworkPolicy>
        {
            // Empty rule lists are spelled out so that an apply takes ownership of them and reverts added rules.
            Policy(plan, DefaultDeny, ["Ingress", "Egress"], ingress: [], egress: []),
            Policy(plan, AllowSameNamespace, ["Ingress", "Egress"],
                ingress: [new V1NetworkPolicyIngressRule { FromProperty = [new V1NetworkPolicyPeer { PodSelector = new V1LabelSelector() }] }],
                egress: [new V1NetworkPolicyEgressRule { To = [new V1NetworkPolicyPeer { PodSelector = new V1LabelSelector() }] }]),
        };
        if (plan.AllowDNS)
            all.Add(Policy(plan, AllowDNS, ["Egress"], ingress: null, egress:
            [
                new V1NetworkPolicyEgressRule
                {
                    To =
                    [
                        new V1NetworkPolicyPeer
                        {
                            NamespaceSelector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { [NamespaceNameLabel] = "kube-system" } },
                            PodSelector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["k8s-app"] = "kube-dns" } },
                        },
                    ],
                    Ports =
                    [
                        new V1NetworkPolicyPort { Protocol = "UDP", Port = 53 },
                        new V1NetworkPolicyPort { Protocol = "TCP", Port = 53 },
                    ],
                },
            ]));
        if (plan.IngressFromNamespaces.Count > 0)
            all.Add(Policy(plan, AllowIngressFromNamespaces, ["Ingress"], egress: null, ingress:
            [
                new V1NetworkPolicyIngressRule
                {
                    FromProperty = plan.IngressFromNamespaces.Select(ns => new V1NetworkPolicyPeer
                    {
                        NamespaceSelector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { [NamespaceNameLabel] = ns } },
                    }).ToList(),
                },
            ]));
        if (plan.EgressCIDRs.Count > 0)
            all.Add(Policy(plan, AllowEgressToCidrs, ["Egress"], ingress: null, egress:
            [
                new V1NetworkPolicyEgressRule
                {
                    // The platform's denied ranges inside a CIDR (cloud metadata, cluster ranges) stay unreachable.
                    To = plan.EgressCIDRs.Select(c => new V1NetworkPolicyPeer
                    {
                        IpBlock = new V1IPBlock { Cidr = c, Except = plan.EgressExcept.TryGetValue(c, out var except) ? except.ToList() : null },
                    }).ToList(),
                },
            ]));
        return all;
    }

    private static V1NetworkPolicy Policy(TenantPlan plan, string name, List<string> types,
        List<V1NetworkPolicyIngressRule>? ingress, List<V1NetworkPolicyEgressRule>? egress) => new()
    {
        ApiVersion = "networking.k8s.io/v1",
        Kind = "NetworkPolicy",
        Metadata = TenantLabels.Meta(plan.Tenant, name, plan.Namespace),
        Spec = new V1NetworkPolicySpec
        {
            PodSelector = new V1LabelSelector(),
            PolicyTypes = types,
            Ingress = ingress,
            Egress = egress,
        },
    };
}
