using IsolationOperator.Api.V1Alpha1;
using IsolationOperator.Tests.Unit.Support;

namespace IsolationOperator.Tests.Unit.Desired;

public class TenantPlannerNetworkTests
{
    [Fact]
    public void Dns_is_allowed_unless_switched_off()
    {
        Tenants.Plan().AllowDNS.Should().BeTrue();
        Tenants.Plan(s => s.Network = new NetworkSpec()).AllowDNS.Should().BeTrue();
        Tenants.Plan(s => s.Network = new NetworkSpec { AllowDNS = false }).AllowDNS.Should().BeFalse();
    }

    [Fact]
    public void Egress_cidrs_are_normalised_and_deduplicated()
    {
        var plan = Tenants.Plan(s => s.Network = new NetworkSpec { EgressCIDRs = ["203.0.113.0/24", "2001:DB8::/32", "203.0.113.0/24"] });
        plan.EgressCIDRs.Should().Equal("203.0.113.0/24", "2001:db8::/32");
    }

    [Theory]
    [InlineData("example.com")]
    [InlineData("203.0.113.0")]
    [InlineData("203.0.113.0/33")]
    [InlineData("300.0.0.0/8")]
    public void Invalid_egress_cidr_shows_an_example(string cidr)
    {
        Tenants.Problems(s => s.Network = new NetworkSpec { EgressCIDRs = [cidr] }).Should().ContainSingle()
            .Which.Should().Contain("spec.network.egressCIDRs").And.Contain($"\"{cidr}\"").And.Contain("203.0.113.0/24");
    }

    [Fact]
    public void Ingress_namespaces_are_deduplicated()
    {
        Tenants.Plan(s => s.Network = new NetworkSpec { IngressFromNamespaces = ["ingress-nginx", "monitoring", "ingress-nginx"] })
            .IngressFromNamespaces.Should().Equal("ingress-nginx", "monitoring");
    }
}
