using IsolationOperator.Api.V1Alpha1;
using IsolationOperator.Engine;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace IsolationOperator.Reconciliation;

/// <summary>The operator's finalizer on a DemoTenant: added before anything is provisioned, removed last.</summary>
public sealed class Finalizers(IKubernetes client, Informer<DemoTenant> tenants, ILogger log)
{
    public static bool Has(DemoTenant t) => t.Metadata.Finalizers?.Contains(OperatorIdentity.Finalizer) == true;

    public async Task<DemoTenant> EnsureAsync(DemoTenant tenant, CancellationToken ct)
    {
        if (Has(tenant)) return tenant;
        var body = KubernetesJson.Serialize(new
        {
            apiVersion = DemoTenant.ApiGroupVersion,
            kind = DemoTenant.KindName,
            metadata = new { name = tenant.Metadata.Name, finalizers = new[] { OperatorIdentity.Finalizer } },
        });
        var updated = await OwnedKinds.DemoTenants.Patch(client, new V1Patch(body, V1Patch.PatchType.ApplyPatch), tenant.Metadata.Name, null, ct);
        OperatorMetrics.Writes.WithLabels(DemoTenant.KindName, "apply").Inc();
        tenants.Upsert(updated);
        return updated;
    }

    public async Task RemoveAsync(DemoTenant tenant, CancellationToken ct)
    {
        var index = tenant.Metadata.Finalizers!.IndexOf(OperatorIdentity.Finalizer);
        // A JSON patch with a test: removes exactly our entry, and fails rather than removing someone else's.
        var patch = $$"""[{"op":"test","path":"/metadata/finalizers/{{index}}","value":"{{OperatorIdentity.Finalizer}}"},{"op":"remove","path":"/metadata/finalizers/{{index}}"}]""";
        try
        {
            await client.CustomObjects.PatchClusterCustomObjectAsync(new V1Patch(patch, V1Patch.PatchType.JsonPatch),
                DemoTenant.Group, DemoTenant.Version, DemoTenant.Plural, tenant.Metadata.Name, fieldManager: OperatorIdentity.FieldManager, cancellationToken: ct);
            OperatorMetrics.Writes.WithLabels(DemoTenant.KindName, "patch").Inc();
            log.LogInformation("DemoTenant {Tenant} deleted; its namespace is gone", tenant.Metadata.Name);
        }
        catch (Exception e) when (ApiErrors.IsNotFound(e, DemoTenant.Plural)) { }
    }
}
