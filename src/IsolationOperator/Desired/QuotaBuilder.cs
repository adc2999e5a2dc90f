using k8s.Models;

namespace IsolationOperator.Desired;

public static class QuotaBuilder
{
    public const string QuotaName = "tenant-quota";
    public const string LimitRangeName = "tenant-limits";

    public static V1ResourceQuota BuildQuota(TenantPlan plan) => new()
    {
        ApiVersion = "v1",
        Kind = "ResourceQuota",
        Metadata = TenantLabels.Meta(plan.Tenant, QuotaName, plan.Namespace),
        Spec = new V1ResourceQuotaSpec
        {
            // While suspended no pod may start (bare pods, Jobs, CronJobs, anything a controller recreates).
            Hard = plan.Quota.ToDictionary(kv => kv.Key, kv => new ResourceQuantity(plan.Suspended && kv.Key == "pods" ? "0" : kv.Value)),
        },
    };

    /// <summary>Defaults let pods without requests or limits be admitted under the quota.</summary>
    public static V1LimitRange BuildLimitRange(TenantPlan plan) => new()
    {
        ApiVersion = "v1",
        Kind = "LimitRange",
        Metadata = TenantLabels.Meta(plan.Tenant, LimitRangeName, plan.Namespace),
        Spec = new V1LimitRangeSpec
        {
            Limits =
            [
                new V1LimitRangeItem
                {
                    Type = "Container",
                    DefaultProperty = Quantities(plan.Profile.ContainerDefault),
                    DefaultRequest = Quantities(plan.Profile.ContainerDefaultRequest),
                    Max = Quantities(plan.Profile.ContainerMax),
                },
            ],
        },
    };

    private static Dictionary<string, ResourceQuantity> Quantities(IReadOnlyDictionary<string, string> values) =>
        values.ToDictionary(kv => kv.Key, kv => new ResourceQuantity(TenantPlanner.Canonical(kv.Value)));
}
