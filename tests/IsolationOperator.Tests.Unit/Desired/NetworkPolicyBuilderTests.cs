using IsolationOperator.Api.V1Alpha1;
using IsolationOperator.Desired;
using IsolationOperator.Tests.Unit.Support;
using k8s.Models;

namespace IsolationOperator.Tests.Unit.Desired;

public class NetworkPolicyBuilderTests
{
    private static V1NetworkPolicy Named(IEnumerable<V1NetworkPolicy> all, string name) =>
        all.Should().ContainSingle(p => p.Metadata.Name == name).Subject;

    private static bool SelectsEveryPod(V1LabelSelector? s) =>
        s is not null && (s.MatchLabels is null || s.MatchLabels.Count == 0) && (s.MatchExpressions is null || s.MatchExpressions.Count == 0);

    [Fact]
    public void Default_deny_selects_every_pod_and_allows_nothing()
    {
        var deny = Named(NetworkPolicyBuilder.Build(Tenants.Plan()), NetworkPolicyBuilder.DefaultDeny);

        SelectsEveryPod(deny.Spec.PodSelector).Should().BeTrue();
        deny.Spec.PolicyTypes.Should().BeEquivalentTo("Ingress", "Egress");
        deny.Spec.Ingress.Should().NotBeNull().And.BeEmpty("an explicit empty list lets an apply revert an added rule");
        deny.Spec.Egress.Should().NotBeNull().And.BeEmpty();
    }

    [Fact]
    public void Pods_may_talk_to_each_other_within_the_namespace_only()
    {
        var same = Named(NetworkPolicyBuilder.Build(Tenants.Plan()), NetworkPolicyBuilder.AllowSameNamespace);

        SelectsEveryPod(same.Spec.PodSelector).Should().BeTrue();
        same.Spec.PolicyTypes.Should().BeEquivalentTo("Ingress", "Egress");
        var from = same.Spec.Ingress.Should().ContainSingle().Subject.FromProperty.Should().ContainSingle().Subject;
        var to = same.Spec.Egress.Should().ContainSingle().Subject.To.Should().ContainSingle().Subject;
        foreach (var peer in new[] { from, to })
        {
            SelectsEveryPod(peer.PodSelector).Should().BeTrue();
            peer.NamespaceSelector.Should().BeNull("a namespace selector, even empty, would open the peer to other namespaces");
            peer.IpBlock.Should().BeNull();
        }
        same.Spec.Ingress.Single().Ports.Should().BeNullOrEmpty();
    }

    [Fact]
    public void Dns_egress_reaches_only_kube_dns_on_port_53()
    {
        var dns = Named(NetworkPolicyBuilder.Build(Tenants.Plan()), NetworkPolicyBuilder.AllowDNS);

        dns.Spec.PolicyTypes.Should().Equal("Egress");
        dns.Spec.Ingress.Should().BeNull();
        var rule = dns.Spec.Egress.Should().ContainSingle().Subject;
        var peer = rule.To.Should().ContainSingle().Subject;
        peer.NamespaceSelector.MatchLabels.Should().Equal(new Dictionary<string, string> { ["kubernetes.io/metadata.name"] = "kube-system" });
        peer.PodSelector.MatchLabels.Should().Equal(new Dictionary<string, string> { ["k8s-app"] = "kube-dns" });
        rule.Ports.Select(p => (p.Protocol, p.Port.Value)).Should().BeEquivalentTo(new[] { ("UDP", "53"), ("TCP", "53") });
    }

    [Fact]
    public void Without_dns_no_dns_policy_is_built()
    {
        NetworkPolicyBuilder.Build(Tenants.Plan(s => s.Network = new NetworkSpec { AllowDNS = false }))
            .Select(p => p.Metadata.Name).Should().Equal(NetworkPolicyBuilder.DefaultDeny, NetworkPolicyBuilder.AllowSameNamespace);
    }

    [Fact]
    public void Ingress_from_named_namespaces_selects_them_by_their_name_label()
    {
        var plan = Tenants.Plan(s => s.Network = new NetworkSpec { IngressFromNamespaces = ["ingress-nginx", "monitoring"] });
        var policy = Named(NetworkPolicyBuilder.Build(plan), NetworkPolicyBuilder.AllowIngressFromNamespaces);

        policy.Spec.PolicyTypes.Should().Equal("Ingress");
        policy.Spec.Egress.Should().BeNull();
        var peers = policy.Spec.Ingress.Should().ContainSingle().Subject.FromProperty;
        peers.Select(p => p.NamespaceSelector.MatchLabels[NetworkPolicyBuilder.NamespaceNameLabel]).Should().Equal("ingress-nginx", "monitoring");
        peers.Should().OnlyContain(p => p.PodSelector == null && p.IpBlock == null && p.NamespaceSelector.MatchLabels.Count == 1);
    }

    [Fact]
    public void Egress_to_cidrs_lists_exactly_those_blocks()
    {
        var plan = Tenants.Plan(s => s.Network = new NetworkSpec { EgressCIDRs = ["203.0.113.0/24", "198.51.100.7/32"] });
        var policy = Named(NetworkPolicyBuilder.Build(plan), NetworkPolicyBuilder.AllowEgressToCidrs);

        policy.Spec.PolicyTypes.Should().Equal("Egress");
        policy.Spec.Ingress.Should().BeNull();
        var peers = policy.Spec.Egress.Should().ContainSingle().Subject.To;
        peers.Select(p => p.IpBlock.Cidr).Should().Equal("203.0.113.0/24", "198.51.100.7/32");
        peers.Should().OnlyContain(p => p.PodSelector == null && p.NamespaceSelector == null && (p.IpBlock.Except == null || p.IpBlock.Except.Count == 0));
    }

    [Fact]
    public void Optional_policies_exist_only_when_asked_for()
    {
        NetworkPolicyBuilder.Build(Tenants.Plan()).Select(p => p.Metadata.Name).Should()
            .Equal(NetworkPolicyBuilder.DefaultDeny, NetworkPolicyBuilder.AllowSameNamespace, NetworkPolicyBuilder.AllowDNS);
    }

    [Fact]
    public void Every_policy_selects_every_pod_and_is_labelled_for_the_tenant()
    {
        var plan = Tenants.Plan(s => s.Network = new NetworkSpec { IngressFromNamespaces = ["x"], EgressCIDRs = ["10.0.0.0/8"] });
        var all = NetworkPolicyBuilder.Build(plan);

        all.Should().HaveCount(5);
        all.Should().OnlyContain(p => SelectsEveryPod(p.Spec.PodSelector));
        all.Should().OnlyContain(p => p.Metadata.NamespaceProperty == "demo-acme" && TenantLabels.TenantOf(p.Metadata) == "acme");
        all.Should().OnlyContain(p => p.ApiVersion == "networking.k8s.io/v1" && p.Kind == "NetworkPolicy");
        all.Select(p => p.Metadata.Name).Should().OnlyHaveUniqueItems();
    }
}
