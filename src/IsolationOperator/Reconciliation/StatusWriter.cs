using IsolationOperator.Api.V1Alpha1;
using IsolationOperator.Engine;
using k8s;
using k8s.Models;
using System.Text.Json.Serialization;

namespace IsolationOperator.Reconciliation;

/// <summary>Writes a DemoTenant's status by server-side apply, and only when it differs from what is there.</summary>
public sealed class StatusWriter
{
    private readonly IKubernetes _client;
    private readonly Informer<DemoTenant> _tenants;
    private readonly TimeProvider _time;

    public StatusWriter(IKubernetes client, Informer<DemoTenant> tenants, TimeProvider time)
    {
        _client = client;
        _tenants = tenants;
        _time = time;
    }

    /// <returns>True when a write was made.</returns>
    public async Task<bool> WriteAsync(DemoTenant tenant, DemoTenantStatus next, CancellationToken ct)
    {
        next.ObservedGeneration = tenant.Metadata.Generation;
        next.Conditions = Conditions.WithTransitions(next.Conditions ?? [], tenant.Status?.Conditions, _time.GetUtcNow().UtcDateTime);
        if (tenant.Status is not null && KubernetesJson.Serialize(tenant.Status) == KubernetesJson.Serialize(next)) return false;

        // Only status is sent: spec stays the user's.
        var json = KubernetesJson.Serialize(new StatusApply(DemoTenant.ApiGroupVersion, DemoTenant.KindName,
            new V1ObjectMeta { Name = tenant.Metadata.Name }, next));
        var raw = await _client.CustomObjects.PatchClusterCustomObjectStatusAsync(
            new V1Patch(json, V1Patch.PatchType.ApplyPatch), DemoTenant.Group, DemoTenant.Version, DemoTenant.Plural,
            tenant.Metadata.Name, fieldManager: OperatorIdentity.FieldManager, force: true, cancellationToken: ct);
        OperatorMetrics.Writes.WithLabels(DemoTenant.KindName, "status").Inc();
        _tenants.Upsert(OwnedKinds.Convert(raw));
        return true;
    }

    private sealed record StatusApply(
        [property: JsonPropertyName("apiVersion")] string ApiVersion,
        [property: JsonPropertyName("kind")] string Kind,
        [property: JsonPropertyName("metadata")] V1ObjectMeta Metadata,
        [property: JsonPropertyName("status")] DemoTenantStatus Status);
}
