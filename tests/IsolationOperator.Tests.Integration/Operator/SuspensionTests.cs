using IsolationOperator.Api.V1Alpha1;
using IsolationOperator.Tests.Integration.Infrastructure;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace IsolationOperator.Tests.Integration.Operator;

/// <summary>Suspension is level-based and durable, stops everything that runs, and trusts nothing a tenant can write.</summary>
public sealed class SuspensionTests(ControlPlaneFixture fixture) : IClassFixture<ControlPlaneFixture>, IAsyncLifetime
{
    private OperatorUnderTest _operator = null!;
    private IKubernetes Admin => fixture.Plane.AdminClient();

    public async Task InitializeAsync() => _operator = await OperatorUnderTest.StartAsync(fixture.Plane, UniqueName.For("susp"));
    public async Task DisposeAsync() => await _operator.DisposeAsync();

    private async Task<DemoTenant> ReadyTenantAsync(string prefix)
    {
        var tenant = _operator.Own(Tenants.New(UniqueName.For(prefix), s => s.Access = [new AccessEntry { Kind = "Group", Name = UniqueName.For("p"), Role = "edit" }]));
        await Tenants.CreateAsync(Admin, tenant);
        return await Tenants.WaitForPhaseAsync(Admin, tenant.Metadata.Name, Phases.Ready);
    }

    private Task<DemoTenant> SuspensionAsync(string name, bool stopped) => Eventually.GetAsync($"suspension stopped={stopped}", async () =>
        await Tenants.GetAsync(Admin, name) is { Status.Suspension.Stopped: var s } t && s == stopped && t.Status.ObservedGeneration == t.Metadata.Generation ? t : null);

    private Task<DemoTenant> ResumedAsync(string name) => Eventually.GetAsync("suspension cleared", async () =>
        await Tenants.GetAsync(Admin, name) is { Status.Suspension: null } t && t.Status.ObservedGeneration == t.Metadata.Generation ? t : null);

    [Fact]
    public async Task Suspend_while_degraded_then_resume_restores_replicas_with_one_suspended_and_one_resumed_event()
    {
        var tenant = await ReadyTenantAsync("deg");
        var ns = tenant.Status!.Namespace!;
        await Admin.AppsV1.CreateNamespacedDeploymentAsync(Workloads.Deployment("web", 3), ns);
        await Admin.RbacAuthorizationV1.CreateNamespacedRoleBindingAsync(new V1RoleBinding
        {
            Metadata = new V1ObjectMeta { Name = "someone-elses" },
            RoleRef = new V1RoleRef { ApiGroup = "rbac.authorization.k8s.io", Kind = "Role", Name = "tenant-view" },
            Subjects = [new Rbacv1Subject { Kind = "User", Name = "outsider", ApiGroup = "rbac.authorization.k8s.io" }],
        }, ns);
        await Tenants.WaitForPhaseAsync(Admin, tenant.Metadata.Name, Phases.Degraded);

        await Tenants.PatchSpecAsync(Admin, tenant.Metadata.Name, new { suspended = true });
        var suspended = await SuspensionAsync(tenant.Metadata.Name, stopped: true);
        suspended.Status!.Phase.Should().Be(Phases.Degraded, "the foreign binding is still there");
        (await Admin.AppsV1.ReadNamespacedDeploymentAsync("web", ns)).Spec.Replicas.Should().Be(0);

        await Tenants.PatchSpecAsync(Admin, tenant.Metadata.Name, new { suspended = false });
        await ResumedAsync(tenant.Metadata.Name);
        (await Admin.AppsV1.ReadNamespacedDeploymentAsync("web", ns)).Spec.Replicas.Should().Be(3, "resume does not depend on the phase");

        await Task.Delay(TimeSpan.FromSeconds(2)); // further reconciles must not repeat the events
        var events = await Eventually.GetAsync("Resumed event", async () =>
            await Tenants.EventsAsync(Admin, tenant.Metadata.Name) is var e && e.Any(x => x.Reason == "Resumed") ? e : null);
        events.Count(e => e.Reason == "Suspended").Should().Be(1);
        events.Count(e => e.Reason == "Resumed").Should().Be(1);
    }

    [Fact]
    public async Task A_planted_suspended_replicas_annotation_does_not_keep_a_deployment_running_or_choose_what_resume_restores()
    {
        var tenant = await ReadyTenantAsync("plant");
        var ns = tenant.Status!.Namespace!;
        var planted = Workloads.Deployment("planted", 2);
        planted.Metadata.Annotations = new Dictionary<string, string> { ["isolation.demo.dev/suspended-replicas"] = "50" };
        await Admin.AppsV1.CreateNamespacedDeploymentAsync(planted, ns);

        await Tenants.PatchSpecAsync(Admin, tenant.Metadata.Name, new { suspended = true });
        await SuspensionAsync(tenant.Metadata.Name, stopped: true);
        (await Admin.AppsV1.ReadNamespacedDeploymentAsync("planted", ns)).Spec.Replicas.Should().Be(0);

        await Tenants.PatchSpecAsync(Admin, tenant.Metadata.Name, new { suspended = false });
        await ResumedAsync(tenant.Metadata.Name);
        (await Admin.AppsV1.ReadNamespacedDeploymentAsync("planted", ns)).Spec.Replicas.Should().Be(2);
    }

    [Fact]
    public async Task Suspension_deletes_bare_pods_scales_loose_replica_sets_and_admits_no_new_pod_until_resumed()
    {
        var tenant = await ReadyTenantAsync("pods");
        var ns = tenant.Status!.Namespace!;
        await Eventually.HoldsAsync("quota enforced", async () =>
            (await Admin.CoreV1.ReadNamespacedResourceQuotaAsync("tenant-quota", ns)).Status?.Hard?.ContainsKey("pods") == true);
        await Admin.CoreV1.CreateNamespacedPodAsync(Pod("bare"), ns);
        var rs = new V1ReplicaSet
        {
            Metadata = new V1ObjectMeta { Name = "loose" },
            Spec = new V1ReplicaSetSpec
            {
                Replicas = 2,
                Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = "loose" } },
                Template = new V1PodTemplateSpec { Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { ["app"] = "loose" } }, Spec = Pod("x").Spec },
            },
        };
        await Admin.AppsV1.CreateNamespacedReplicaSetAsync(rs, ns);

        await Tenants.PatchSpecAsync(Admin, tenant.Metadata.Name, new { suspended = true });
        await SuspensionAsync(tenant.Metadata.Name, stopped: true);
        (await Admin.AppsV1.ReadNamespacedReplicaSetAsync("loose", ns)).Spec.Replicas.Should().Be(0);
        (await Admin.CoreV1.ListNamespacedPodAsync(ns)).Items.Should().NotContain(p => p.Metadata.Name == "bare");
        await Eventually.HoldsAsync("the quota admits no pod", async () =>
        {
            try { await Admin.CoreV1.CreateNamespacedPodAsync(Pod("late"), ns, dryRun: "All"); return false; }
            catch (HttpOperationException e) when (e.Response.StatusCode == System.Net.HttpStatusCode.Forbidden) { return e.Response.Content.Contains("exceeded quota"); }
        });

        await Tenants.PatchSpecAsync(Admin, tenant.Metadata.Name, new { suspended = false });
        await ResumedAsync(tenant.Metadata.Name);
        (await Admin.AppsV1.ReadNamespacedReplicaSetAsync("loose", ns)).Spec.Replicas.Should().Be(2);
        await Eventually.HoldsAsync("pods admitted again", async () =>
        {
            try { await Admin.CoreV1.CreateNamespacedPodAsync(Pod("late"), ns, dryRun: "All"); return true; }
            catch (HttpOperationException) { return false; }
        });
    }

    private static V1Pod Pod(string name) => new()
    {
        Metadata = new V1ObjectMeta { Name = name },
        Spec = new V1PodSpec { Containers = [new V1Container { Name = "c", Image = "registry.invalid/demo:1" }] },
    };
}
