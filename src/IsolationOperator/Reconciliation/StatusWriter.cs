using IsolationOperator.Admission;
using IsolationOperator.Api.V1Alpha1;
using IsolationOperator.Audit;
using IsolationOperator.Engine;
using k8s;
using k8s.Models;
using System.Text.Json.Serialization;

namespace IsolationOperator.Reconciliation;

/// <summary>
/// Writes a DemoTenant's status by server-side apply, only when it differs from what is there, and only onto the
/// version the decision was made from: the apply carries metadata.resourceVersion, so a decision taken on a stale
/// view (a spec edited meanwhile) fails with 409 and the key is reconciled again.
/// </summary>
public sealed class StatusWriter
{
    private readonly IKubernetes _client;
    private readonly Informer<DemoTenant> _tenants;
    private readonly TimeProvider _time;
    private readonly bool _requesters;
    private readonly AuditTrail? _audit;

    /// <param name="requesters">Copy the admission webhook's requester annotations into status (webhook on).</param>
    /// <param name="audit">The audit trail: what a status write says happened is recorded before it goes out.</param>
    public StatusWriter(IKubernetes client, Informer<DemoTenant> tenants, TimeProvider time, bool requesters = false, AuditTrail? audit = null)
    {
        _client = client;
        _tenants = tenants;
        _time = time;
        _requesters = requesters;
        _audit = audit;
    }

    /// <summary>
    /// A full copy of the current status. Every write starts from one: an apply that omits a field the operator
    /// wrote before (expiredAt, suspension, a secret's mark) would remove it.
    /// </summary>
    public static DemoTenantStatus Copy(DemoTenant t) =>
        KubernetesJson.Deserialize<DemoTenantStatus>(KubernetesJson.Serialize(t.Status ?? new DemoTenantStatus()));

    /// <returns>The DemoTenant as written, or null when nothing needed writing.</returns>
    /// <param name="audit">Records of this pass that no state shows (drift repaired), for the audit trail.</param>
    /// <param name="record">False for a write that records an intent only (a secret's new mark): the trail's state ignores
    /// it, so there is nothing to record, and the pass's final write records what was done.</param>
    public async Task<DemoTenant?> WriteAsync(DemoTenant tenant, DemoTenantStatus next, CancellationToken ct, IReadOnlyList<AuditEntry>? audit = null, bool record = true)
    {
        next.ObservedGeneration = tenant.Metadata.Generation;
        if (_requesters)
        {
            next.RequestedBy = RequesterAnnotations.Of(tenant.Metadata, RequesterAnnotations.RequestedBy) ?? next.RequestedBy;
            next.LastChangedBy = RequesterAnnotations.Of(tenant.Metadata, RequesterAnnotations.LastChangedBy) ?? next.LastChangedBy;
        }
        // Recorded before the status that reports it: a crash in between is found and recorded by the next pass.
        if (_audit is not null && record) next.Audit = await _audit.TryRecordAsync(tenant, next, audit ?? [], _requesters, ct) ?? next.Audit;
        next.Conditions = Conditions.WithTransitions(next.Conditions ?? [], tenant.Status?.Conditions, _time.GetUtcNow().UtcDateTime);
        if (tenant.Status is not null && KubernetesJson.Serialize(tenant.Status) == KubernetesJson.Serialize(next)) return null;

        // Only status is sent: spec stays the user's.
        var json = KubernetesJson.Serialize(new StatusApply(DemoTenant.ApiGroupVersion, DemoTenant.KindName,
            new V1ObjectMeta { Name = tenant.Metadata.Name, ResourceVersion = tenant.Metadata.ResourceVersion }, next));
        var raw = await _client.CustomObjects.PatchClusterCustomObjectStatusAsync(
            new V1Patch(json, V1Patch.PatchType.ApplyPatch), DemoTenant.Group, DemoTenant.Version, DemoTenant.Plural,
            tenant.Metadata.Name, fieldManager: OperatorIdentity.FieldManager, force: true, cancellationToken: ct);
        OperatorMetrics.Writes.WithLabels(DemoTenant.KindName, "status").Inc();
        var written = OwnedKinds.Convert(raw);
        _tenants.Upsert(written);
        return written;
    }

    private sealed record StatusApply(
        [property: JsonPropertyName("apiVersion")] string ApiVersion,
        [property: JsonPropertyName("kind")] string Kind,
        [property: JsonPropertyName("metadata")] V1ObjectMeta Metadata,
        [property: JsonPropertyName("status")] DemoTenantStatus Status);
}
