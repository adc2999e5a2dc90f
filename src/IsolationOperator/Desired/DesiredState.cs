using k8s;
using k8s.Models;

namespace IsolationOperator.Desired;

/// <summary>Everything one DemoTenant reconciles to, in apply order: isolation before access.</summary>
public static class DesiredState
{
    public static IReadOnlyList<IKubernetesObject<V1ObjectMeta>> Build(
        TenantPlan plan, string owner, string prospect,
        Func<string, V1Secret?> existingSecret, Func<SecretPlan, bool> rotationDue, DateTimeOffset now)
    {
        var objects = new List<IKubernetesObject<V1ObjectMeta>> { NamespaceBuilder.Build(plan, owner, prospect) };
        objects.AddRange(NetworkPolicyBuilder.Build(plan));
        objects.Add(QuotaBuilder.BuildQuota(plan));
        objects.Add(QuotaBuilder.BuildLimitRange(plan));
        objects.Add(RbacBuilder.BuildServiceAccount(plan));
        objects.AddRange(plan.Secrets.Select(s => SecretBuilder.Build(plan, s, existingSecret(s.Name), rotationDue(s), now)));
        objects.AddRange(RbacBuilder.BuildRoles(plan));
        // Bindings last: access is granted only once the fences are up.
        objects.AddRange(RbacBuilder.BuildBindings(plan));
        return objects;
    }
}
