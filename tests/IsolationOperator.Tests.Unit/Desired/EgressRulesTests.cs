using System.Net;
using IsolationOperator.Api.V1Alpha1;
using IsolationOperator.Desired;
using IsolationOperator.Tests.Unit.Support;

namespace IsolationOperator.Tests.Unit.Desired;

public class EgressRulesTests
{
    private static readonly IReadOnlyList<IPNetwork> Deny =
        EgressRules.ParseDenyList([.. EgressRules.DefaultDenyCidrs, "10.96.0.0/12", "fd00:10:96::/112"]);

    private static EgressRules.Result Check(bool anywhere = false, params string[] cidrs) => EgressRules.Check(cidrs, Deny, anywhere);

    [Theory]
    [InlineData("169.254.169.254/32")]
    [InlineData("169.254.0.0/16")]
    [InlineData("10.96.0.1/32")]
    [InlineData("fd00:ec2::254/128")]
    [InlineData("fd00:10:96::1/128")]
    public void A_cidr_inside_a_denied_range_is_refused(string cidr)
    {
        var result = Check(false, cidr);
        result.Cidrs.Should().BeEmpty();
        result.Problems.Should().ContainSingle().Which.Should().Contain($"\"{cidr}\"").And.Contain("may never reach");
    }

    [Fact]
    public void The_metadata_service_is_named_as_such()
    {
        Check(false, "169.254.169.254/32").Problems.Single().Should().Contain("metadata service");
        Check(false, "10.96.0.10/32").Problems.Single().Should().Contain("platform range");
    }

    [Fact]
    public void A_wider_cidr_gets_the_denied_ranges_inside_it_as_except()
    {
        var result = Check(false, "10.0.0.0/8", "169.0.0.0/8");
        result.Problems.Should().BeEmpty();
        result.Cidrs.Should().Equal("10.0.0.0/8", "169.0.0.0/8");
        result.Except["10.0.0.0/8"].Should().Equal("10.96.0.0/12");
        result.Except["169.0.0.0/8"].Should().Equal("169.254.0.0/16");
    }

    [Fact]
    public void An_unrelated_cidr_passes_without_except()
    {
        var result = Check(false, "203.0.113.0/24", "2001:db8::/32");
        result.Problems.Should().BeEmpty();
        result.Cidrs.Should().Equal("203.0.113.0/24", "2001:db8::/32");
        result.Except.Should().BeEmpty();
    }

    [Fact]
    public void Ipv6_wider_cidrs_except_the_ipv6_denied_ranges_only()
    {
        var result = Check(false, "fd00::/8");
        result.Problems.Should().BeEmpty();
        result.Except["fd00::/8"].Should().BeEquivalentTo("fd00:ec2::254/128", "fd00:10:96::/112");
    }

    [Theory]
    [InlineData("0.0.0.0/0")]
    [InlineData("::/0")]
    public void Anywhere_is_refused_unless_an_admin_allows_it(string cidr)
    {
        Check(false, cidr).Problems.Should().ContainSingle().Which.Should().Contain($"\"{cidr}\"").And.Contain("Operator__AllowEgressToAnywhere");
        var allowed = Check(true, cidr);
        allowed.Problems.Should().BeEmpty();
        allowed.Except[cidr].Should().NotBeEmpty("the deny-list still applies inside anywhere");
    }

    [Fact]
    public void The_planner_refuses_metadata_and_anywhere_and_the_policy_carries_except()
    {
        Tenants.Problems(s => s.Network = new NetworkSpec { EgressCIDRs = ["169.254.169.254/32", "0.0.0.0/0"] }).Should().HaveCount(2);

        var plan = TenantPlanner.Plan(Tenants.New(spec: s => s.Network = new NetworkSpec { EgressCIDRs = ["0.0.0.0/0"] }), Tenants.Now,
            new PlannerPolicy { AllowEgressToAnywhere = true }).Plan!;
        var egress = NetworkPolicyBuilder.Build(plan).Single(p => p.Metadata.Name == NetworkPolicyBuilder.AllowEgressToCidrs);
        var block = egress.Spec.Egress.Single().To.Single().IpBlock;
        block.Cidr.Should().Be("0.0.0.0/0");
        block.Except.Should().Equal("169.254.0.0/16");
    }

    [Fact]
    public void A_malformed_deny_entry_stops_the_operator_at_startup()
    {
        var act = () => EgressRules.ParseDenyList(["10.96.0.0/33"]);
        act.Should().Throw<InvalidOperationException>().WithMessage("*Operator__EgressDenyCidrs*10.96.0.0/33*");
    }
}
