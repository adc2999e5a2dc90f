using IsolationOperator.Api.V1Alpha1;
using IsolationOperator.Desired;
using IsolationOperator.Engine;
using k8s.Models;

namespace IsolationOperator.Reconciliation;

/// <summary>
/// Removes access on its own, before anything else a pass writes and whatever else fails: a refused Secret or a
/// rejected spec must never keep an expired or removed person bound. Only bindings in the tenant's own namespace.
/// </summary>
public sealed class AccessRevocation(ClusterCache cache, ResourceApplier applier)
{
    /// <summary>Deletes the tenant's bindings that <paramref name="allowed"/> does not name; recreates the workload
    /// ServiceAccount when an edit or admin subject lost access, so tokens they may have taken for it die too.</summary>
    /// <returns>The bindings deleted.</returns>
    public async Task<IReadOnlyList<V1RoleBinding>> RevokeAsync(string tenant, string ns, IReadOnlySet<string> allowed, CancellationToken ct)
    {
        var stale = TenantObjects.In(cache.RoleBindings, tenant, ns).Where(b => !allowed.Contains(b.Metadata.Name)).ToList();
        foreach (var b in stale) await applier.DeleteAsync(OwnedKinds.RoleBindings, cache.RoleBindings, b, ct);
        if (stale.Any(CouldTakeWorkloadTokens)) await DeleteWorkloadAccountAsync(tenant, ns, ct);
        // A guest without a binding loses its account too: every token issued for it stops authenticating at once.
        foreach (var sa in TenantObjects.In(cache.ServiceAccounts, tenant, ns)
                     .Where(a => a.Metadata.Labels?.ContainsKey(Guests.GuestLabel) == true && !allowed.Any(n => RbacBuilder.IsGuestBindingOf(n, a.Metadata.Name))).ToList())
            await applier.DeleteAsync(OwnedKinds.ServiceAccounts, cache.ServiceAccounts, sa, ct);
        return stale;
    }

    /// <summary>Every binding and the workload ServiceAccount: what expiry and deletion do first.</summary>
    public async Task<int> RevokeAllAsync(string tenant, string ns, CancellationToken ct)
    {
        var revoked = await RevokeAsync(tenant, ns, new HashSet<string>(), ct);
        await DeleteWorkloadAccountAsync(tenant, ns, ct);
        return revoked.Count;
    }

    /// <summary>
    /// The bindings this tenant may keep now. A valid plan says exactly; for a rejected spec nothing is added, and of
    /// what exists only what the spec still grants survives (an entry removed or past its expiresAt goes).
    /// </summary>
    public static IReadOnlySet<string> Allowed(DemoTenant tenant, TenantPlan? plan, DateTimeOffset now, PlannerPolicy? policy = null)
    {
        // The operator's own binding stays whatever the spec says (suspension needs it); RevokeAllAsync takes it too.
        var names = PeopleAndWorkload(tenant, plan, now, policy ?? PlannerPolicy.Default);
        names.Add(RbacBuilder.OperatorBindingName);
        return names;
    }

    private static HashSet<string> PeopleAndWorkload(DemoTenant tenant, TenantPlan? plan, DateTimeOffset now, PlannerPolicy policy)
    {
        if (plan is not null) return RbacBuilder.BuildBindings(plan).Select(b => b.Metadata.Name).ToHashSet();
        if (tenant.Spec.Suspended == true) return [];
        var names = (tenant.Spec.Access ?? [])
            .Where(a => RbacBuilder.Roles.ContainsKey(a.Role) && (a.ExpiresAt is null || a.ExpiresAt > now)
                        && a.Kind is "User" or "Group" && ReservedSubjects.Problem(a.Kind, a.Name, policy) is null)
            .Select(a => RbacBuilder.BindingName(new AccessGrant(a.Kind, a.Name, a.Role, a.ExpiresAt)))
            .ToHashSet();
        // Guests the spec still lists, in force, on the accounts status recorded for them.
        foreach (var (recorded, entry) in Guests.StillListed(tenant, now)) names.Add(RbacBuilder.GuestBindingName(recorded.ServiceAccount, entry.Role));
        var workloadRole = tenant.Spec.WorkloadRole ?? RbacBuilder.DefaultWorkloadRole;
        if (RbacBuilder.WorkloadRoles.Contains(workloadRole)) names.Add(RbacBuilder.WorkloadBindingName(workloadRole));
        return names;
    }

    private static bool CouldTakeWorkloadTokens(V1RoleBinding b) =>
        b.RoleRef.Name is "tenant-edit" or "tenant-admin" && b.Subjects?.Any(s => s.Kind != "ServiceAccount") == true;

    private async Task DeleteWorkloadAccountAsync(string tenant, string ns, CancellationToken ct)
    {
        foreach (var sa in TenantObjects.In(cache.ServiceAccounts, tenant, ns).Where(a => a.Metadata.Name == RbacBuilder.WorkloadServiceAccount).ToList())
            await applier.DeleteAsync(OwnedKinds.ServiceAccounts, cache.ServiceAccounts, sa, ct);
    }
}
