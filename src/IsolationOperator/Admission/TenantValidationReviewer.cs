using IsolationOperator.Api.V1Alpha1;
using IsolationOperator.Desired;
using IsolationOperator.Engine;
using IsolationOperator.Reconciliation;
using k8s;
using k8s.Models;

namespace IsolationOperator.Admission;

/// <summary>
/// /validate-demotenant: refuses at apply time what the reconciler would turn Failed. The spec checks are the
/// planner's own (<see cref="TenantPlanner.Plan(DemoTenant, DateTimeOffset, PlannerPolicy)"/>, the same messages as the Ready condition);
/// then what needs the cluster: the namespace exists and is not this tenant's, or another DemoTenant claims it.
/// Only a spec change is judged: an update that leaves the spec alone (labels, the operator's finalizer, a deletion
/// in progress) always passes, so a tenant that was valid under an older policy can still be cleaned up.
/// </summary>
public sealed class TenantValidationReviewer(AdmissionContext context) : IAdmissionReviewer
{
    public string Path => "/validate-demotenant";
    public bool Mutating => false;
    public WebhookScope Scope => WebhookScope.DemoTenants;
    public IReadOnlyList<WebhookResource> Resources { get; } = [new(DemoTenant.Group, DemoTenant.Version, DemoTenant.Plural)];
    public IReadOnlyList<string> Operations { get; } = ["CREATE", "UPDATE"];

    public async Task<AdmissionVerdict> ReviewAsync(AdmissionCall call, CancellationToken cancellationToken)
    {
        if (call.Operation is not ("CREATE" or "UPDATE") || call.SubResource is { Length: > 0 }) return AdmissionVerdict.Allow;
        var tenant = TenantDecoding.Decode(call.Object, out var unreadable);
        if (tenant is null) return AdmissionVerdict.Deny(unreadable ?? "the request carries no DemoTenant", 400);
        if (call.Operation == "UPDATE")
        {
            if (tenant.Metadata.DeletionTimestamp is not null) return AdmissionVerdict.Allow;
            if (!TenantDecoding.SpecChanged(call.OldObject, call.Object)) return AdmissionVerdict.Allow;
            // What the operator recorded (status.namespace): the API server keeps the stored status on a spec update.
            var old = TenantDecoding.Decode(call.OldObject, out _);
            tenant.Status = old?.Status;
        }
        else tenant.Status = null;

        var problems = Problems(tenant, context.Time.GetUtcNow(), context.Policy);
        if (problems.Count > 0) return AdmissionVerdict.Deny(NamespaceOwnership.SpecRejected(problems) + ".");
        var ns = TenantPlanner.NamespaceFor(tenant, context.Policy);
        if (await NamespaceProblemAsync(tenant, ns, cancellationToken) is { } nsProblem) return AdmissionVerdict.Deny(nsProblem);
        return AdmissionVerdict.Allow;
    }

    /// <summary>The planner's problems: the very function the reconciler runs.</summary>
    public static IReadOnlyList<string> Problems(DemoTenant tenant, DateTimeOffset now, PlannerPolicy policy) =>
        TenantPlanner.Plan(tenant, now, policy).Problems;

    private async Task<string?> NamespaceProblemAsync(DemoTenant tenant, string ns, CancellationToken ct)
    {
        var live = await ReadNamespaceAsync(ns, ct);
        if (live is not null && !NamespaceOwnership.IsOwnedBy(live, tenant)) return NamespaceOwnership.NotOwnedMessage(ns);
        var claimant = (await TenantsAsync(ct)).FirstOrDefault(other =>
            other.Metadata.Name != tenant.Metadata.Name &&
            other.Status?.Phase != Phases.Expired &&
            (!string.IsNullOrEmpty(other.Status?.Namespace) ? other.Status.Namespace : TenantPlanner.NamespaceFor(other, context.Policy)) == ns);
        return claimant is null ? null : NamespaceOwnership.ClaimedMessage(ns, claimant.Metadata.Name);
    }

    /// <summary>A labelled namespace from the cache; anything else (unlabelled: never cached) by a GET.</summary>
    private async Task<V1Namespace?> ReadNamespaceAsync(string ns, CancellationToken ct)
    {
        if (context.Cache?.Namespaces.Get(null, ns) is { } cached) return cached;
        try { return await context.Client.CoreV1.ReadNamespaceAsync(ns, cancellationToken: ct); }
        catch (Exception e) when (ApiErrors.IsNotFound(e, "namespaces")) { return null; }
    }

    /// <summary>
    /// The DemoTenants this operator handles (its selector): from the cache when synced, else one list. With sharding,
    /// a claim by another shard's tenant is caught by the namespace check once that tenant's namespace exists.
    /// </summary>
    private async Task<IReadOnlyList<DemoTenant>> TenantsAsync(CancellationToken ct)
    {
        if (context.SyncedCache is { } cache) return cache.Tenants.Items;
        var list = await context.Client.CustomObjects.ListClusterCustomObjectAsync(DemoTenant.Group, DemoTenant.Version, DemoTenant.Plural,
            labelSelector: context.Options.TenantSelector, cancellationToken: ct);
        return k8s.KubernetesJson.Deserialize<DemoTenantList>(k8s.KubernetesJson.Serialize(list)).Items.ToList();
    }
}
