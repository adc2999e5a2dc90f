using IsolationOperator.Desired;
using IsolationOperator.Tests.Unit.Support;
using k8s.Models;

namespace IsolationOperator.Tests.Unit.Desired;

public class QuotaCapsTests
{
    private static PlanResult PlanWith(string key, string value, IReadOnlyDictionary<string, string>? caps = null) =>
        TenantPlanner.Plan(Tenants.New(spec: s => s.Quota = new Dictionary<string, IntOrString> { [key] = value }), Tenants.Now,
            new PlannerPolicy { QuotaCaps = caps ?? QuotaCaps.Defaults });

    [Fact]
    public void An_override_above_the_cap_is_refused_naming_the_key_the_cap_and_what_to_do()
    {
        var result = PlanWith("requests.cpu", "100000");
        result.Plan.Should().BeNull();
        result.Problems.Should().ContainSingle().Which.Should()
            .Contain("spec.quota.requests.cpu").And.Contain("\"100000\"").And.Contain("(16)")
            .And.Contain("ask a platform admin to raise quotaCaps.requests.cpu");
    }

    [Theory]
    [InlineData("requests.cpu", "16")]
    [InlineData("requests.cpu", "16000m")]
    [InlineData("requests.cpu", "15500m")]
    [InlineData("limits.memory", "64Gi")]
    [InlineData("limits.memory", "65536Mi")]
    [InlineData("limits.memory", "60G")]
    [InlineData("pods", "200")]
    [InlineData("requests.ephemeral-storage", "50Gi")]
    public void An_override_at_or_below_the_cap_passes(string key, string value)
    {
        var result = PlanWith(key, value);
        result.Problems.Should().BeEmpty();
        result.Plan!.Quota[key].Should().Be(TenantPlanner.Canonical(value));
    }

    [Theory]
    [InlineData("requests.cpu", "16001m")]
    [InlineData("limits.memory", "65537Mi")]
    [InlineData("limits.memory", "70G")]
    [InlineData("pods", "201")]
    [InlineData("limits.ephemeral-storage", "1Ti")]
    public void Unit_conversions_count_toward_the_cap(string key, string value)
    {
        PlanWith(key, value).Problems.Should().ContainSingle().Which.Should().Contain($"spec.quota.{key}").And.Contain("quotaCaps");
    }

    [Fact]
    public void Configured_caps_replace_the_built_in_ones()
    {
        var caps = QuotaCaps.Merge(new Dictionary<string, string> { ["requests.cpu"] = "4000m" });
        caps["requests.cpu"].Should().Be("4");
        caps["pods"].Should().Be("200");
        PlanWith("requests.cpu", "5", caps).Problems.Should().ContainSingle().Which.Should().Contain("(4)");
        PlanWith("requests.cpu", "4", caps).Problems.Should().BeEmpty();
    }

    [Fact]
    public void Every_overridable_key_has_a_default_cap_at_or_above_the_large_profile()
    {
        QuotaCaps.Defaults.Keys.Should().BeEquivalentTo(Profiles.OverridableKeys);
        foreach (var (key, cap) in QuotaCaps.Defaults)
            new ResourceQuantity(cap).ToDecimal().Should().BeGreaterThanOrEqualTo(new ResourceQuantity(Profiles.All["large"].Quota[key]).ToDecimal(), key);
    }

    [Theory]
    [InlineData("gpus", "1")]
    [InlineData("count/deployments.apps", "10")]
    [InlineData("requests.cpu", "lots")]
    [InlineData("requests.cpu", "-1")]
    public void A_malformed_cap_setting_stops_the_operator_at_startup(string key, string value)
    {
        var act = () => QuotaCaps.Merge(new Dictionary<string, string> { [key] = value });
        act.Should().Throw<InvalidOperationException>().WithMessage("*Operator__QuotaCaps__*");
    }

    [Fact]
    public void Object_counts_are_set_by_the_profile_only()
    {
        Tenants.Problems(s => s.Quota = new Dictionary<string, IntOrString> { ["count/deployments.apps"] = "5" })
            .Should().ContainSingle().Which.Should().Contain("set by the profile").And.Contain("larger profile");
    }
}
