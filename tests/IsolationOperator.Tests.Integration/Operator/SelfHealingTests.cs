using System.Text.Json;
using IsolationOperator.Api.V1Alpha1;
using IsolationOperator.Tests.Integration.Infrastructure;
using k8s;
using k8s.Models;

namespace IsolationOperator.Tests.Integration.Operator;

public sealed class SelfHealingTests(ControlPlaneFixture fixture) : IClassFixture<ControlPlaneFixture>, IAsyncLifetime
{
    private OperatorUnderTest _operator = null!;
    private IKubernetes Admin => fixture.Plane.AdminClient();

    public async Task InitializeAsync() => _operator = await OperatorUnderTest.StartAsync(fixture.Plane, UniqueName.For("heal"));
    public async Task DisposeAsync() => await _operator.DisposeAsync();

    private async Task<DemoTenant> ReadyTenantAsync()
    {
        var t = _operator.Own(Tenants.New(UniqueName.For("heal")));
        await Tenants.CreateAsync(Admin, t);
        return await Tenants.WaitForPhaseAsync(Admin, t.Metadata.Name, Phases.Ready);
    }

    [Fact]
    public async Task Deleted_default_deny_is_restored_within_seconds()
    {
        var t = await ReadyTenantAsync();
        var ns = t.Status!.Namespace!;
        var before = await Admin.NetworkingV1.ReadNamespacedNetworkPolicyAsync("default-deny", ns);
        await Admin.NetworkingV1.DeleteNamespacedNetworkPolicyAsync("default-deny", ns);

        var restored = await Eventually.GetAsync("default-deny restored", async () =>
        {
            var list = await Admin.NetworkingV1.ListNamespacedNetworkPolicyAsync(ns, fieldSelector: "metadata.name=default-deny");
            return list.Items.FirstOrDefault(p => p.Metadata.Uid != before.Metadata.Uid);
        }, TimeSpan.FromSeconds(10));
        restored.Spec.PolicyTypes.Should().BeEquivalentTo("Ingress", "Egress");
    }

    [Fact]
    public async Task Default_deny_edited_to_allow_all_ingress_is_reverted_with_a_drift_event()
    {
        var t = await ReadyTenantAsync();
        var ns = t.Status!.Namespace!;
        var patch = JsonSerializer.Serialize(new { spec = new { ingress = new[] { new { } } } });
        await Admin.NetworkingV1.PatchNamespacedNetworkPolicyAsync(new V1Patch(patch, V1Patch.PatchType.MergePatch), "default-deny", ns);

        await Eventually.HoldsAsync("default-deny allows nothing again", async () =>
            (await Admin.NetworkingV1.ReadNamespacedNetworkPolicyAsync("default-deny", ns)).Spec.Ingress is null or { Count: 0 },
            TimeSpan.FromSeconds(10));
        var drift = await Eventually.GetAsync("DriftCorrected event", async () =>
            (await Tenants.EventsAsync(Admin, t.Metadata.Name)).FirstOrDefault(e => e.Reason == "DriftCorrected"));
        drift.Type.Should().Be("Warning");
        drift.Note.Should().Contain("NetworkPolicy default-deny").And.Contain("spec.ingress");
    }

    [Fact]
    public async Task Narrowed_pod_selector_on_default_deny_is_reverted()
    {
        var t = await ReadyTenantAsync();
        var ns = t.Status!.Namespace!;
        var patch = JsonSerializer.Serialize(new { spec = new { podSelector = new { matchLabels = new Dictionary<string, string> { ["nobody"] = "true" } } } });
        await Admin.NetworkingV1.PatchNamespacedNetworkPolicyAsync(new V1Patch(patch, V1Patch.PatchType.MergePatch), "default-deny", ns);

        await Eventually.HoldsAsync("default-deny selects every pod again", async () =>
            (await Admin.NetworkingV1.ReadNamespacedNetworkPolicyAsync("default-deny", ns)).Spec.PodSelector.MatchLabels is null or { Count: 0 },
            TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task Raised_quota_is_put_back()
    {
        var t = await ReadyTenantAsync();
        var ns = t.Status!.Namespace!;
        var patch = JsonSerializer.Serialize(new { spec = new { hard = new Dictionary<string, string> { ["pods"] = "500" } } });
        await Admin.CoreV1.PatchNamespacedResourceQuotaAsync(new V1Patch(patch, V1Patch.PatchType.MergePatch), "tenant-quota", ns);

        await Eventually.HoldsAsync("pods quota back to 20", async () =>
            (await Admin.CoreV1.ReadNamespacedResourceQuotaAsync("tenant-quota", ns)).Spec.Hard["pods"].ToString() == "20",
            TimeSpan.FromSeconds(10));
    }
}
