using System.Text.Json;
using IsolationOperator.Api.V1Alpha1;
using IsolationOperator.Engine;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace IsolationOperator.Tests.Integration.Infrastructure;

/// <summary>Creating, reading and waiting on DemoTenants through the API, as a sales engineer would.</summary>
public static class Tenants
{
    public static DemoTenant New(string name, Action<DemoTenantSpec>? spec = null)
    {
        var t = new DemoTenant
        {
            Metadata = new V1ObjectMeta { Name = name },
            Spec = new DemoTenantSpec { Prospect = "Test Prospect", Owner = "se@vendor.example", Namespace = $"demo-{name}" },
        };
        spec?.Invoke(t.Spec);
        return t;
    }

    /// <summary>A file from samples/, renamed so tests never collide with each other or with a real install.</summary>
    public static DemoTenant FromSample(string file, string name)
    {
        var tenant = KubernetesYaml.Deserialize<DemoTenant>(File.ReadAllText(RepoRoot.File("samples", file)));
        tenant.Metadata.Name = name;
        tenant.Spec.Namespace = $"demo-{name}";
        return tenant;
    }

    public static async Task<DemoTenant> CreateAsync(IKubernetes admin, DemoTenant tenant) =>
        OwnedKinds.Convert(await admin.CustomObjects.CreateClusterCustomObjectAsync(tenant, DemoTenant.Group, DemoTenant.Version, DemoTenant.Plural));

    public static async Task<DemoTenant?> GetAsync(IKubernetes admin, string name)
    {
        try { return OwnedKinds.Convert(await admin.CustomObjects.GetClusterCustomObjectAsync(DemoTenant.Group, DemoTenant.Version, DemoTenant.Plural, name)); }
        catch (HttpOperationException e) when (e.Response.StatusCode == System.Net.HttpStatusCode.NotFound) { return null; }
    }

    public static Task PatchSpecAsync(IKubernetes admin, string name, object specPatch) =>
        admin.CustomObjects.PatchClusterCustomObjectAsync(new V1Patch(JsonSerializer.Serialize(new { spec = specPatch }), V1Patch.PatchType.MergePatch),
            DemoTenant.Group, DemoTenant.Version, DemoTenant.Plural, name);

    public static Task DeleteAsync(IKubernetes admin, string name) =>
        admin.CustomObjects.DeleteClusterCustomObjectAsync(DemoTenant.Group, DemoTenant.Version, DemoTenant.Plural, name);

    public static Task<DemoTenant> WaitForPhaseAsync(IKubernetes admin, string name, string phase, TimeSpan? timeout = null) =>
        Eventually.GetAsync($"DemoTenant {name} in phase {phase}", async () =>
        {
            var t = await GetAsync(admin, name);
            return t?.Status?.Phase == phase && t.Status.ObservedGeneration == t.Metadata.Generation ? t : null;
        }, timeout ?? TimeSpan.FromSeconds(60));

    public static V1Condition? Condition(DemoTenant t, string type) => t.Status?.Conditions?.FirstOrDefault(c => c.Type == type);

    /// <summary>Events the operator recorded about a tenant (events.k8s.io/v1, in kube-system).</summary>
    public static async Task<IReadOnlyList<Eventsv1Event>> EventsAsync(IKubernetes admin, string name)
    {
        var list = await admin.EventsV1.ListNamespacedEventAsync(EventRecorder.EventNamespace, fieldSelector: $"regarding.name={name}");
        return list.Items.Where(e => e.Regarding?.Kind == DemoTenant.KindName).ToList();
    }

    /// <summary>
    /// The tenant's events once one of them matches: the operator queues events and writes them just after the pass
    /// that recorded them, so a test that saw the pass's status waits briefly for its event.
    /// </summary>
    public static Task<IReadOnlyList<Eventsv1Event>> EventsOnceAsync(IKubernetes admin, string name, Func<Eventsv1Event, bool> match, string what) =>
        Eventually.GetAsync(what, async () => await EventsAsync(admin, name) is var e && e.Any(match) ? e : null);
}
