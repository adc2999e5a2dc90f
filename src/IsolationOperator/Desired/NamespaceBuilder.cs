using k8s.Models;

namespace IsolationOperator.Desired;

public static class NamespaceBuilder
{
    public const string OwnerAnnotation = "isolation.demo.dev/owner";
    public const string ProspectAnnotation = "isolation.demo.dev/prospect";

    public static V1Namespace Build(TenantPlan plan, string owner, string prospect)
    {
        var meta = TenantLabels.Meta(plan.Tenant, plan.Namespace);
        if (!string.IsNullOrEmpty(plan.TenantUid)) meta.Labels[TenantLabels.TenantUid] = plan.TenantUid;
        // Pod Security "restricted" at every level: enforce rejects, audit and warn tell the user why.
        foreach (var mode in new[] { "enforce", "audit", "warn" })
        {
            meta.Labels[$"pod-security.kubernetes.io/{mode}"] = "restricted";
            meta.Labels[$"pod-security.kubernetes.io/{mode}-version"] = "latest";
        }
        meta.Annotations = new Dictionary<string, string>
        {
            [OwnerAnnotation] = owner,
            [ProspectAnnotation] = prospect,
        };
        // spec.isolation.nodes for the kube-apiserver's PodNodeSelector and PodTolerationRestriction plugins, so the
        // pinning holds where they are enabled even without the webhooks.
        foreach (var (key, value) in NodeIsolation.Annotations(plan.NodeSelector, plan.Tolerations))
            meta.Annotations[key] = value;
        return new V1Namespace { ApiVersion = "v1", Kind = "Namespace", Metadata = meta };
    }
}
