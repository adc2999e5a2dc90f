using k8s.Models;

namespace IsolationOperator.Desired;

/// <summary>
/// A second ResourceQuota admitting no pod of the critical priority classes: a demo pod at system-node-critical
/// would pre-empt (evict) other tenants' pods and the platform's own. Refused by the API server's quota admission,
/// with or without the operator's webhook.
/// </summary>
public static class CriticalPriorityQuota
{
    public const string Name = "tenant-critical-priority";

    public static readonly IReadOnlyList<string> PriorityClasses = ["system-node-critical", "system-cluster-critical"];

    public static V1ResourceQuota Build(TenantPlan plan) => new()
    {
        ApiVersion = "v1",
        Kind = "ResourceQuota",
        Metadata = TenantLabels.Meta(plan.Tenant, Name, plan.Namespace),
        Spec = new V1ResourceQuotaSpec
        {
            Hard = new Dictionary<string, ResourceQuantity> { ["pods"] = new("0") },
            ScopeSelector = new V1ScopeSelector
            {
                MatchExpressions =
                [
                    new V1ScopedResourceSelectorRequirement { ScopeName = "PriorityClass", OperatorProperty = "In", Values = PriorityClasses.ToList() },
                ],
            },
        },
    };
}
