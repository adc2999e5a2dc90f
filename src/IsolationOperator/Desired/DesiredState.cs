using k8s;
using k8s.Models;

namespace IsolationOperator.Desired;

/// <summary>Everything one DemoTenant reconciles to, in apply order: isolation before access.</summary>
public static class DesiredState
{
    public static IReadOnlyList<IKubernetesObject<V1ObjectMeta>> Build(
        TenantPlan plan, string owner, string prospect,
        Func<string, V1Secret?> existingSecret, Func<SecretPlan, bool> rotationDue, DateTimeOffset now) =>
    [
        .. Fences(plan, owner, prospect),
        .. plan.Secrets.Select(s => SecretBuilder.Build(plan, s, existingSecret(s.Name), rotationDue(s), now)),
        .. Access(plan),
    ];

    /// <summary>The namespace and what isolates it, plus the workload ServiceAccount: written before any secret or access.</summary>
    public static IReadOnlyList<IKubernetesObject<V1ObjectMeta>> Fences(TenantPlan plan, string owner, string prospect) =>
    [
        NamespaceBuilder.Build(plan, owner, prospect),
        // The operator's own grant first: suspension and the checks inside the namespace depend on it.
        .. (RbacBuilder.BuildOperatorBinding(plan) is { } self ? [self] : Array.Empty<V1RoleBinding>()),
        .. NetworkPolicyBuilder.Build(plan),
        QuotaBuilder.BuildQuota(plan),
        CriticalPriorityQuota.Build(plan),
        QuotaBuilder.BuildLimitRange(plan),
        RbacBuilder.BuildServiceAccount(plan),
    ];

    /// <summary>Bindings last: access is granted only once the fences are up.</summary>
    /// <summary>Guests' accounts come with access, not with the fences: an account is a way in once bound.</summary>
    public static IReadOnlyList<IKubernetesObject<V1ObjectMeta>> Access(TenantPlan plan) =>
        [.. RbacBuilder.BuildGuestAccounts(plan), .. RbacBuilder.BuildBindings(plan)];
}
