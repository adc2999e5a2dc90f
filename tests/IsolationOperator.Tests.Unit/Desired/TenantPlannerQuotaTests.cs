using IsolationOperator.Desired;
using IsolationOperator.Tests.Unit.Support;
using k8s.Models;

namespace IsolationOperator.Tests.Unit.Desired;

public class TenantPlannerQuotaTests
{
    [Fact]
    public void Profile_defaults_to_small()
    {
        var plan = Tenants.Plan();
        plan.Profile.Name.Should().Be("small");
        plan.Quota["requests.cpu"].Should().Be("2");
        plan.Quota["limits.memory"].Should().Be("8Gi");
    }

    [Theory]
    [InlineData("small", "2", "20")]
    [InlineData("medium", "4", "40")]
    [InlineData("large", "8", "80")]
    public void Profile_sets_the_quota(string profile, string requestsCpu, string pods)
    {
        var plan = Tenants.Plan(s => s.Profile = profile);
        plan.Profile.Name.Should().Be(profile);
        plan.Quota["requests.cpu"].Should().Be(requestsCpu);
        plan.Quota["pods"].Should().Be(pods);
    }

    [Fact]
    public void Unknown_profile_names_the_choices()
    {
        Tenants.Problems(s => s.Profile = "huge").Should().ContainSingle()
            .Which.Should().Contain("spec.profile \"huge\"").And.Contain("use small, medium or large");
    }

    [Fact]
    public void Quota_overrides_replace_the_profile_values()
    {
        var plan = Tenants.Plan(s => s.Quota = new Dictionary<string, IntOrString>
        {
            ["requests.cpu"] = "3",
            ["pods"] = 50,
        });

        plan.Quota["requests.cpu"].Should().Be("3");
        plan.Quota["pods"].Should().Be("50");
        plan.Quota["limits.cpu"].Should().Be("4", "keys not overridden keep the profile's value");
    }

    [Theory]
    [InlineData("requests.memory", "4096Mi", "4Gi")]
    [InlineData("requests.cpu", "0.5", "500m")]
    [InlineData("requests.cpu", "1500m", "1500m")]
    [InlineData("limits.cpu", "2000m", "2")]
    [InlineData("requests.storage", " 10Gi ", "10Gi")]
    [InlineData("limits.memory", "1000M", "1G")]
    [InlineData("limits.memory", "1e9", "1e9")]
    public void Quantities_are_canonical(string key, string given, string canonical)
    {
        Tenants.Plan(s => s.Quota = new Dictionary<string, IntOrString> { [key] = given }).Quota[key].Should().Be(canonical);
    }

    [Fact]
    public void Profile_quantities_are_canonical_too()
    {
        foreach (var profile in Profiles.All.Keys)
        {
            var plan = Tenants.Plan(s => s.Profile = profile);
            plan.Quota.Should().OnlyContain(kv => TenantPlanner.Canonical(kv.Value) == kv.Value);
        }
    }

    [Theory]
    [InlineData("services.loadbalancers", "1")]
    [InlineData("services.nodeports", "5")]
    [InlineData("services.nodeports", "0")]
    public void Locked_quota_keys_cannot_be_overridden(string key, string value)
    {
        Tenants.Problems(s => s.Quota = new Dictionary<string, IntOrString> { [key] = value }).Should().ContainSingle()
            .Which.Should().Contain($"spec.quota.{key} cannot be set").And.Contain("stays 0");
    }

    [Fact]
    public void Locked_quota_keys_stay_zero_in_every_plan()
    {
        foreach (var profile in Profiles.All.Keys)
        {
            var plan = Tenants.Plan(s => s.Profile = profile);
            foreach (var key in Profiles.Locked) plan.Quota[key].Should().Be("0");
        }
    }

    [Fact]
    public void Unknown_quota_key_is_a_readable_problem()
    {
        var problem = Tenants.Problems(s => s.Quota = new Dictionary<string, IntOrString> { ["requests.nvidia.com/gpu"] = "1" })
            .Should().ContainSingle().Subject;

        problem.Should().Contain("spec.quota.requests.nvidia.com/gpu").And.Contain("not a quota this operator manages")
            .And.Contain("use one of:").And.Contain("requests.cpu").And.Contain("limits.memory");
        problem.Should().NotContain("services.loadbalancers", "a locked key is not offered as a choice");
    }

    [Theory]
    [InlineData("lots")]
    [InlineData("")]
    [InlineData("1.2.3")]
    [InlineData("10GB")]
    public void Invalid_quota_quantity_is_a_readable_problem(string value)
    {
        Tenants.Problems(s => s.Quota = new Dictionary<string, IntOrString> { ["pods"] = value }).Should().ContainSingle()
            .Which.Should().Contain("spec.quota.pods").And.Contain($"\"{value}\"").And.Contain("not a valid quantity");
    }

    /// <summary>
    /// The API server refuses a ResourceQuota with a negative value, or a fractional count of objects. The CRD pattern lets
    /// both through, so unless the planner catches them the namespace and policies are applied and then the quota fails.
    /// </summary>
    [Theory]
    [InlineData("requests.cpu", "-1")]
    [InlineData("limits.memory", "-512Mi")]
    [InlineData("pods", "1.5")]
    [InlineData("services", "500m")]
    public void Quota_values_the_api_server_would_refuse_are_readable_problems(string key, string value)
    {
        Tenants.Problems(s => s.Quota = new Dictionary<string, IntOrString> { [key] = value }).Should().ContainSingle()
            .Which.Should().Contain($"spec.quota.{key}").And.Contain($"\"{value}\"");
    }
}
