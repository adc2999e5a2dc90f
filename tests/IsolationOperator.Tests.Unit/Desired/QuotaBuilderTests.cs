using IsolationOperator.Desired;
using IsolationOperator.Tests.Unit.Support;
using k8s;
using k8s.Models;

namespace IsolationOperator.Tests.Unit.Desired;

public class QuotaBuilderTests
{
    [Fact]
    public void Quota_holds_exactly_the_planned_values()
    {
        var plan = Tenants.Plan(s => s.Quota = new Dictionary<string, IntOrString> { ["requests.memory"] = "6144Mi" });
        var quota = QuotaBuilder.BuildQuota(plan);

        quota.Metadata.Name.Should().Be(QuotaBuilder.QuotaName);
        quota.Metadata.NamespaceProperty.Should().Be("demo-acme");
        TenantLabels.TenantOf(quota.Metadata).Should().Be("acme");
        quota.Spec.Hard.Keys.Should().BeEquivalentTo(plan.Quota.Keys);
        quota.Spec.Hard.Should().OnlyContain(kv => kv.Value.ToString() == plan.Quota[kv.Key]);
        quota.Spec.Hard["requests.memory"].ToString().Should().Be("6Gi");
    }

    [Fact]
    public void Load_balancers_and_node_ports_are_zero()
    {
        var hard = QuotaBuilder.BuildQuota(Tenants.Plan(s => s.Profile = "large")).Spec.Hard;
        hard["services.loadbalancers"].ToString().Should().Be("0");
        hard["services.nodeports"].ToString().Should().Be("0");
    }

    [Fact]
    public void Quantities_serialise_in_canonical_form()
    {
        var plan = Tenants.Plan(s => s.Quota = new Dictionary<string, IntOrString> { ["requests.cpu"] = "0.5", ["limits.memory"] = "2048Mi" });
        var json = KubernetesJson.Serialize(QuotaBuilder.BuildQuota(plan));

        json.Should().Contain("\"requests.cpu\":\"500m\"").And.Contain("\"limits.memory\":\"2Gi\"");
    }

    [Fact]
    public void Limit_range_gives_containers_defaults_under_the_profile_maximum()
    {
        var plan = Tenants.Plan(s => s.Profile = "medium");
        var range = QuotaBuilder.BuildLimitRange(plan);

        range.Metadata.Name.Should().Be(QuotaBuilder.LimitRangeName);
        range.Metadata.NamespaceProperty.Should().Be("demo-acme");
        var item = range.Spec.Limits.Should().ContainSingle().Subject;
        item.Type.Should().Be("Container");
        item.DefaultProperty.ToDictionary(kv => kv.Key, kv => kv.Value.ToString()).Should().Equal(new Dictionary<string, string> { ["cpu"] = "500m", ["memory"] = "512Mi", ["ephemeral-storage"] = "1Gi" });
        item.DefaultRequest.ToDictionary(kv => kv.Key, kv => kv.Value.ToString()).Should().Equal(new Dictionary<string, string> { ["cpu"] = "100m", ["memory"] = "128Mi", ["ephemeral-storage"] = "256Mi" });
        item.Max.ToDictionary(kv => kv.Key, kv => kv.Value.ToString()).Should().Equal(new Dictionary<string, string> { ["cpu"] = "4", ["memory"] = "8Gi", ["ephemeral-storage"] = "8Gi" });
    }
}
