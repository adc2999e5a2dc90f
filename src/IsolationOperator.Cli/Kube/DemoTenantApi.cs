using System.Net;
using System.Text.Json.Nodes;
using IsolationOperator.Api.V1Alpha1;
using IsolationOperator.Engine;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace IsolationOperator.Cli.Kube;

/// <summary>DemoTenants through the caller's client: typed for reading, raw JSON where a patch must keep unknown fields.</summary>
public sealed class DemoTenantApi(IKubernetes client)
{
    public IKubernetes Client => client;

    public async Task<(DemoTenant Tenant, JsonObject Raw)> GetAsync(string name, CancellationToken ct)
    {
        var raw = await client.CustomObjects.GetClusterCustomObjectAsync(DemoTenant.Group, DemoTenant.Version, DemoTenant.Plural, name, ct);
        var json = KubernetesJson.Serialize(raw);
        return (KubernetesJson.Deserialize<DemoTenant>(json), JsonNode.Parse(json)!.AsObject());
    }

    /// <summary>Null when it is gone.</summary>
    public async Task<DemoTenant?> FindAsync(string name, CancellationToken ct)
    {
        try { return (await GetAsync(name, ct)).Tenant; }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound) { return null; }
    }

    public async Task<IReadOnlyList<DemoTenant>> ListAsync(CancellationToken ct)
    {
        var raw = await client.CustomObjects.ListClusterCustomObjectAsync(DemoTenant.Group, DemoTenant.Version, DemoTenant.Plural, cancellationToken: ct);
        return KubernetesJson.Deserialize<DemoTenantList>(KubernetesJson.Serialize(raw)).Items.OrderBy(t => t.Metadata.Name, StringComparer.Ordinal).ToList();
    }

    public async Task<DemoTenant> CreateAsync(DemoTenant tenant, bool serverDryRun, CancellationToken ct)
    {
        var created = await client.CustomObjects.CreateClusterCustomObjectAsync(tenant, DemoTenant.Group, DemoTenant.Version, DemoTenant.Plural,
            dryRun: serverDryRun ? "All" : null, fieldManager: FieldManager, cancellationToken: ct);
        return OwnedKinds.Convert(created);
    }

    public async Task<DemoTenant> PatchAsync(string name, JsonObject mergePatch, CancellationToken ct)
    {
        var patched = await client.CustomObjects.PatchClusterCustomObjectAsync(new V1Patch(mergePatch.ToJsonString(), V1Patch.PatchType.MergePatch),
            DemoTenant.Group, DemoTenant.Version, DemoTenant.Plural, name, fieldManager: FieldManager, cancellationToken: ct);
        return OwnedKinds.Convert(patched);
    }

    /// <summary>Reads, builds the patch from what was read, and patches; again when someone else changed it in between (409).</summary>
    public async Task<DemoTenant> UpdateAsync(string name, Func<DemoTenant, JsonObject, JsonObject> patch, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            var (tenant, raw) = await GetAsync(name, ct);
            try { return await PatchAsync(name, patch(tenant, raw), ct); }
            catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.Conflict && attempt < 5) { }
        }
    }

    public Task DeleteAsync(string name, CancellationToken ct) =>
        client.CustomObjects.DeleteClusterCustomObjectAsync(DemoTenant.Group, DemoTenant.Version, DemoTenant.Plural, name, cancellationToken: ct);

    /// <summary>Shown in managedFields and in status.extendedBy when no webhook records the person.</summary>
    public const string FieldManager = "kubectl-demo";
}
