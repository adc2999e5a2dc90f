using IsolationOperator.Api.V1Alpha1;
using IsolationOperator.Desired;
using IsolationOperator.Engine;
using k8s;
using k8s.Models;

namespace IsolationOperator.Reconciliation;

public sealed record ProvisionResult(DemoTenant Tenant, IReadOnlyList<ApplyOutcome> Outcomes, SecretsResult? Secrets, bool NamespaceTerminating,
    PodSecurityResult? PodSecurity = null, bool AccessWithheld = false);

/// <summary>
/// Makes the tenant's namespace match its plan: fences, then secrets, then roles and bindings; then removes what the
/// plan no longer asks for. Acts only inside the tenant's own namespace: a labelled copy elsewhere is not ours.
/// </summary>
public sealed class TenantProvisioner(ClusterCache cache, ResourceApplier applier, TenantNamespaces namespaces, GeneratedSecrets secrets,
    PodSecurityProbe podSecurity, bool requirePodSecurity)
{
    public async Task<ProvisionResult> ApplyAsync(DemoTenant tenant, TenantPlan plan, DateTimeOffset now, CancellationToken ct)
    {
        var fences = DesiredState.Fences(plan, tenant.Spec.Owner, tenant.Spec.Prospect);
        var ns = (V1Namespace)fences[0];
        if (namespaces.Owned(plan.Namespace, tenant) is { Metadata.DeletionTimestamp: not null })
            return new ProvisionResult(tenant, [], null, NamespaceTerminating: true);

        // Spec unchanged since the last good pass: any difference is someone else's, and fights are bounded.
        var driftOnly = tenant.Status?.ObservedGeneration == tenant.Metadata.Generation && tenant.Status?.Phase is not (null or Phases.Pending or Phases.Failed);
        var nsOutcome = await namespaces.EnsureAsync(ns, tenant, ct);
        var outcomes = new List<ApplyOutcome> { nsOutcome };
        foreach (var o in fences.Skip(1)) outcomes.Add(await ApplyAsync(o, driftOnly, ct));
        var secretResult = await secrets.EnsureAsync(tenant, plan, now, ct, namespaceIsNew: nsOutcome.Action == ApplyAction.Created);
        outcomes.AddRange(secretResult.Outcomes);
        // Before anyone is bound: a namespace where a privileged pod is admitted gets no access when the platform requires it.
        var security = await podSecurity.CheckAsync(plan, Conditions.Find(tenant.Status, ConditionTypes.PodSecurityEnforced), ct);
        var withheld = requirePodSecurity && security.Enforced != true && !plan.Suspended;
        var access = withheld ? [] : DesiredState.Access(plan);
        foreach (var o in access) outcomes.Add(await ApplyAsync(o, driftOnly, ct));
        outcomes.AddRange(await PruneAsync(secretResult.Tenant, plan, [.. fences, .. access], ct));
        return new ProvisionResult(secretResult.Tenant, outcomes, secretResult, false, security, withheld);
    }

    private Task<ApplyOutcome> ApplyAsync(IKubernetesObject<V1ObjectMeta> o, bool driftOnly, CancellationToken ct) => o switch
    {
        V1NetworkPolicy x => applier.ApplyAsync(OwnedKinds.NetworkPolicies, cache.NetworkPolicies, x, ct, driftOnly),
        V1ResourceQuota x => applier.ApplyAsync(OwnedKinds.ResourceQuotas, cache.ResourceQuotas, x, ct, driftOnly),
        V1LimitRange x => applier.ApplyAsync(OwnedKinds.LimitRanges, cache.LimitRanges, x, ct, driftOnly),
        V1ServiceAccount x => ApplyServiceAccountAsync(x, driftOnly, ct),
        V1RoleBinding x => ApplyBindingAsync(x, driftOnly, ct),
        _ => throw new InvalidOperationException($"no applier for {o.Kind}"),
    };

    /// <summary>
    /// The operator's own grant in the namespace, before it scales or deletes workloads there: suspension and resume
    /// run before the rest of the desired state is applied, and must not depend on a binding someone deleted or that
    /// names an earlier identity of the operator.
    /// </summary>
    public async Task EnsureOperatorAccessAsync(TenantPlan plan, CancellationToken ct)
    {
        if (RbacBuilder.BuildOperatorBinding(plan) is { } binding) await ApplyBindingAsync(binding, driftOnly: false, ct);
    }

    /// <summary>
    /// roleRef cannot change in place (the API refuses it): a binding that points elsewhere, such as a namespace Role
    /// of an earlier version where the tenant ClusterRole is now bound, is deleted and made again.
    /// </summary>
    private async Task<ApplyOutcome> ApplyBindingAsync(V1RoleBinding desired, bool driftOnly, CancellationToken ct)
    {
        if (cache.RoleBindings.Get(desired.Metadata.NamespaceProperty, desired.Metadata.Name) is { } live
            && (live.RoleRef.Kind != desired.RoleRef.Kind || live.RoleRef.Name != desired.RoleRef.Name))
            await applier.DeleteAsync(OwnedKinds.RoleBindings, cache.RoleBindings, live, ct);
        return await applier.ApplyAsync(OwnedKinds.RoleBindings, cache.RoleBindings, desired, ct, driftOnly);
    }

    /// <summary>
    /// A guest's account that serves another guest (or none) is deleted and made again rather than relabelled: the
    /// new account has a new uid, so no token issued for the earlier guest still authenticates.
    /// </summary>
    private async Task<ApplyOutcome> ApplyServiceAccountAsync(V1ServiceAccount desired, bool driftOnly, CancellationToken ct)
    {
        if (desired.Metadata.Labels?.TryGetValue(Guests.GuestLabel, out var guest) == true
            && cache.ServiceAccounts.Get(desired.Metadata.NamespaceProperty, desired.Metadata.Name) is { } live
            && (live.Metadata.Labels?.TryGetValue(Guests.GuestLabel, out var serves) != true || serves != guest))
            await applier.DeleteAsync(OwnedKinds.ServiceAccounts, cache.ServiceAccounts, live, ct);
        return await applier.ApplyAsync(OwnedKinds.ServiceAccounts, cache.ServiceAccounts, desired, ct, driftOnly);
    }

    /// <summary>Objects of this tenant in its namespace that the plan no longer asks for. Access goes first.</summary>
    private async Task<List<ApplyOutcome>> PruneAsync(DemoTenant tenant, TenantPlan plan, IReadOnlyList<IKubernetesObject<V1ObjectMeta>> desired, CancellationToken ct)
    {
        var keep = desired.Select(d => (d.Kind, d.Metadata.Name)).Concat(plan.Secrets.Select(s => ("Secret", s.Name))).ToHashSet();
        var outcomes = new List<ApplyOutcome>();
        async Task Prune<T>(OwnedKind<T> kind, Informer<T> informer, Func<T, bool>? ours = null) where T : class, IKubernetesObject<V1ObjectMeta>
        {
            foreach (var o in TenantObjects.In(informer, tenant.Metadata.Name, plan.Namespace)
                         .Where(o => !keep.Contains((kind.Kind, o.Metadata.Name)) && (ours?.Invoke(o) ?? true)).ToList())
                outcomes.Add(await applier.DeleteAsync(kind, informer, o, ct));
        }
        await Prune(OwnedKinds.RoleBindings, cache.RoleBindings);
        await Prune(OwnedKinds.NetworkPolicies, cache.NetworkPolicies);
        await Prune(OwnedKinds.ResourceQuotas, cache.ResourceQuotas);
        await Prune(OwnedKinds.LimitRanges, cache.LimitRanges);
        await Prune(OwnedKinds.ServiceAccounts, cache.ServiceAccounts);
        // A labelled Secret a tenant created is not the operator's to delete: only those carrying its mark.
        await Prune(OwnedKinds.Secrets, cache.Secrets, s => GeneratedSecrets.IsOwn(s, tenant));
        return outcomes;
    }
}
