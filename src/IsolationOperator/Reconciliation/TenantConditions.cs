using IsolationOperator.Api.V1Alpha1;
using IsolationOperator.Desired;
using IsolationOperator.Engine;
using k8s;
using k8s.Models;

namespace IsolationOperator.Reconciliation;

/// <summary>The conditions of a provisioned tenant, read from what the caches observe now.</summary>
public sealed class TenantConditions(ClusterCache cache, ResourceApplier applier)
{
    public List<V1Condition> Provisioned(DemoTenant tenant, TenantPlan plan, IReadOnlyList<string> secretsNotOwned, IReadOnlyList<ApplyOutcome> heldOff,
        PodSecurityResult? podSecurity = null, bool accessWithheld = false)
    {
        var foreign = ForeignAccess(tenant, plan);
        var gen = tenant.Metadata.Generation;
        var desiredPolicies = NetworkPolicyBuilder.Build(plan);
        var policies = desiredPolicies.Select(p => p.Metadata.Name).ToList();
        // Claimed from what the watch shows now, not from what was written: a policy deleted meanwhile is not "isolated".
        var unseen = desiredPolicies.Where(p => !applier.Matches("NetworkPolicy", p, cache.NetworkPolicies.Get(plan.Namespace, p.Metadata.Name)))
            .Select(p => p.Metadata.Name).ToList();
        var alteredBindings = RbacBuilder.BuildBindings(plan)
            .Where(b => cache.RoleBindings.Get(plan.Namespace, b.Metadata.Name) is { } live && !applier.Matches("RoleBinding", b, live))
            .Select(b => b.Metadata.Name).ToList();
        var quota = cache.ResourceQuotas.Get(plan.Namespace, QuotaBuilder.QuotaName);
        var critical = cache.ResourceQuotas.Get(plan.Namespace, CriticalPriorityQuota.Name);
        var quotaActive = quota?.Status?.Hard is { } hard && plan.Quota.Keys.All(hard.ContainsKey) &&
                          critical?.Status?.Hard?.ContainsKey("pods") == true;
        var bindings = RbacBuilder.BuildBindings(plan).Count;
        var contested = heldOff.Select(o => $"{o.Kind} {o.Name} keeps being changed back" +
            (o.CompetingManagers.Count > 0 ? $" by {string.Join(", ", o.CompetingManagers)}" : "") + $"; the operator corrects it again at {o.RetryAt:u}").ToList();
        return
        [
            contested.Count > 0
                ? Conditions.Make(ConditionTypes.Uncontested, false, "CompetingWriter",
                    string.Join("; ", contested) + ". Another controller or person is writing these objects: stop it, or the demo's isolation cannot be guaranteed.", gen)
                : Conditions.Make(ConditionTypes.Uncontested, true, "NoCompetingWriter", "No other writer is fighting over the tenant's objects.", gen),
            // Claims only what was checked: the labels are written; whether anything enforces them is PodSecurityEnforced.
            Conditions.Make(ConditionTypes.NamespaceReady, true, "Provisioned",
                $"Namespace {plan.Namespace} exists, labelled for Pod Security \"restricted\".", gen),
            PodSecurity(podSecurity, gen),
            unseen.Count > 0
                ? Conditions.Make(ConditionTypes.NetworkIsolated, false, "PolicyNotObserved",
                    $"NetworkPolicy {string.Join(", ", unseen)} is missing or altered in the cluster; the operator is restoring it.", gen)
                : Conditions.Make(ConditionTypes.NetworkIsolated, true, "DenyByDefault",
                    $"All traffic is denied except: {string.Join(", ", policies.Skip(1))}.", gen),
            alteredBindings.Count > 0
                ? Conditions.Make(ConditionTypes.AccessScoped, false, "BindingAltered",
                    $"RoleBinding {string.Join(", ", alteredBindings)} differs from spec.access in the cluster; the operator is restoring it.", gen)
            : foreign.Count > 0
                ? Conditions.Make(ConditionTypes.AccessScoped, false, "UnlistedSubjects",
                    $"Access is wider than spec.access: {string.Join("; ", foreign)}. The operator does not delete objects it does not own: remove these bindings or add the subjects to spec.access.", gen)
            : accessWithheld
                ? Conditions.Make(ConditionTypes.AccessScoped, false, "AccessWithheld",
                    $"Nobody is bound in {plan.Namespace} until Pod Security is enforced there (the platform requires it): see PodSecurityEnforced.", gen)
            : plan.Suspended
                ? Conditions.Make(ConditionTypes.AccessScoped, true, "Suspended", "The demo is suspended: nobody is bound to its roles.", gen)
                : Conditions.Make(ConditionTypes.AccessScoped, true, "RolesBound",
                    $"{plan.Access.Count} subject(s) and the {RbacBuilder.WorkloadServiceAccount} ServiceAccount are bound to namespace roles ({bindings} bindings).", gen),
            quotaActive
                ? Conditions.Make(ConditionTypes.QuotaEnforced, true, "QuotaActive",
                    $"Profile {plan.Profile.Name}: {string.Join(", ", plan.Quota.Select(kv => $"{kv.Key}={kv.Value}"))}; no pods of priority {string.Join(" or ", CriticalPriorityQuota.PriorityClasses)}.", gen)
                : Conditions.Make(ConditionTypes.QuotaEnforced, false, "QuotaPending",
                    "The ResourceQuota is written; waiting for the quota controller to start enforcing it.", gen),
            secretsNotOwned.Count > 0
                ? Conditions.Make(ConditionTypes.SecretsProvisioned, false, "SecretNotOwned",
                    $"Secret(s) {string.Join(", ", secretsNotOwned)} in {plan.Namespace} were not made by the operator (someone created them first): " +
                    "their values are left as they are and are not the generated ones. Delete them, or choose other names in spec.secrets.", gen)
                : Conditions.Make(ConditionTypes.SecretsProvisioned, true, "Generated",
                    plan.Secrets.Count == 0 ? "No secrets requested." : $"{plan.Secrets.Count} secret(s) generated for this tenant: {string.Join(", ", plan.Secrets.Select(s => s.Name))}.", gen),
        ];
    }

    public static V1Condition Expiring(DemoTenant tenant, DateTimeOffset? expiresAt, bool inWindow) => inWindow
        ? Conditions.Make(ConditionTypes.Expiring, true, "ExpiringSoon", $"The demo expires at {expiresAt:u}; then access is revoked and the namespace deleted. Move spec.expiresAt or spec.ttl later to extend it.", tenant.Metadata.Generation)
        : Conditions.Make(ConditionTypes.Expiring, false, expiresAt is null ? "NoExpiry" : "NotDue",
            expiresAt is { } at ? $"The demo expires at {at:u}." : "The demo has no expiry.", tenant.Metadata.Generation);

    private static V1Condition PodSecurity(PodSecurityResult? r, long? gen) => r switch
    {
        { Enforced: true } => Conditions.Make(ConditionTypes.PodSecurityEnforced, true, "PrivilegedPodRefused", r.Message, gen),
        { Enforced: false } => Conditions.Make(ConditionTypes.PodSecurityEnforced, false, "PrivilegedPodAdmitted", r.Message, gen),
        { } => new V1Condition { Type = ConditionTypes.PodSecurityEnforced, Status = "Unknown", Reason = "NotChecked", Message = r.Message, ObservedGeneration = gen },
        null => new V1Condition { Type = ConditionTypes.PodSecurityEnforced, Status = "Unknown", Reason = "NotChecked", Message = "Not checked yet.", ObservedGeneration = gen },
    };

    /// <summary>The tenant's own objects in its namespace, and the namespace itself.</summary>
    public List<ManagedResource> ManagedResources(string tenant, string ns)
    {
        IEnumerable<ManagedResource> Of<T>(Informer<T> i) where T : class, IKubernetesObject<V1ObjectMeta> =>
            TenantObjects.In(i, tenant, ns).Select(o => new ManagedResource { ApiVersion = o.ApiVersion, Kind = o.Kind, Name = o.Metadata.Name });
        var nsItself = cache.Namespaces.Get(null, ns) is { } n && TenantLabels.TenantOf(n.Metadata) == tenant
            ? [new ManagedResource { ApiVersion = "v1", Kind = "Namespace", Name = ns }] : Array.Empty<ManagedResource>();
        return nsItself.Concat(Of(cache.NetworkPolicies)).Concat(Of(cache.ResourceQuotas))
            .Concat(Of(cache.LimitRanges)).Concat(Of(cache.ServiceAccounts)).Concat(Of(cache.Secrets))
            .Concat(Of(cache.RoleBindings))
            .OrderBy(r => r.Kind, StringComparer.Ordinal).ThenBy(r => r.Name, StringComparer.Ordinal).ToList();
    }

    /// <summary>RoleBindings in the tenant's namespace, not made by the operator, that bind someone not in spec.access.</summary>
    private List<string> ForeignAccess(DemoTenant tenant, TenantPlan plan)
    {
        var spec = tenant.Spec.Access ?? [];
        return cache.RoleBindings.InNamespace(plan.Namespace)
            .Where(b => TenantLabels.TenantOf(b.Metadata) != tenant.Metadata.Name)
            .SelectMany(b => (b.Subjects ?? []).Where(s => !spec.Any(a => a.Kind == s.Kind && a.Name == s.Name))
                .Select(s => $"RoleBinding {b.Metadata.Name} binds {s.Kind} {s.Name}"))
            .Order(StringComparer.Ordinal).ToList();
    }
}
