using IsolationOperator.Desired;
using IsolationOperator.Tests.Unit.Support;

namespace IsolationOperator.Tests.Unit.Desired;

public class TenantQuotaContentsTests
{
    public static readonly string[] CountKeys =
    [
        "count/deployments.apps", "count/replicasets.apps", "count/statefulsets.apps", "count/jobs.batch",
        "count/cronjobs.batch", "count/ingresses.networking.k8s.io", "count/ingresses.extensions",
        "count/poddisruptionbudgets.policy", "count/horizontalpodautoscalers.autoscaling",
    ];

    [Theory]
    [InlineData("small")]
    [InlineData("medium")]
    [InlineData("large")]
    public void Every_profile_quota_carries_ephemeral_storage_and_object_counts(string profile)
    {
        var hard = QuotaBuilder.BuildQuota(Tenants.Plan(s => s.Profile = profile)).Spec.Hard;
        hard.Should().ContainKeys(["requests.ephemeral-storage", "limits.ephemeral-storage", .. CountKeys]);
        foreach (var key in CountKeys) hard[key].ToDecimal().Should().BeGreaterThan(0, key);
    }

    [Fact]
    public void The_limit_range_gives_every_container_ephemeral_storage_defaults()
    {
        var item = QuotaBuilder.BuildLimitRange(Tenants.Plan()).Spec.Limits.Should().ContainSingle().Subject;
        item.DefaultProperty["ephemeral-storage"].ToString().Should().Be("1Gi");
        item.DefaultRequest["ephemeral-storage"].ToString().Should().Be("256Mi");
        item.Max.Should().ContainKey("ephemeral-storage");
    }

    [Fact]
    public void The_critical_priority_quota_admits_no_pod_of_the_system_classes()
    {
        var plan = Tenants.Plan();
        var quota = CriticalPriorityQuota.Build(plan);
        quota.Metadata.Name.Should().Be("tenant-critical-priority");
        quota.Metadata.NamespaceProperty.Should().Be(plan.Namespace);
        quota.Spec.Hard.Should().ContainSingle().Which.Key.Should().Be("pods");
        quota.Spec.Hard["pods"].ToDecimal().Should().Be(0);
        var expr = quota.Spec.ScopeSelector.MatchExpressions.Should().ContainSingle().Subject;
        expr.ScopeName.Should().Be("PriorityClass");
        expr.OperatorProperty.Should().Be("In");
        expr.Values.Should().BeEquivalentTo("system-node-critical", "system-cluster-critical");
    }

    [Fact]
    public void The_critical_priority_quota_is_part_of_the_fences()
    {
        DesiredState.Fences(Tenants.Plan(), "o", "p").Select(o => $"{o.Kind}/{o.Metadata.Name}")
            .Should().Contain(["ResourceQuota/tenant-quota", "ResourceQuota/tenant-critical-priority"]);
    }
}
