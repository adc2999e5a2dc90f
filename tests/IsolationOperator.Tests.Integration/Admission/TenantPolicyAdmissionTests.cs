using IsolationOperator.Api.V1Alpha1;
using IsolationOperator.LocalCluster;
using IsolationOperator.Tests.Integration.Infrastructure;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace IsolationOperator.Tests.Integration.Admission;

/// <summary>
/// The policies RBAC and NetworkPolicy cannot express, enforced by the API server calling the operator's webhooks:
/// who may create and change whose demo, and what a prospect with edit may run inside a tenant namespace. The
/// workload webhooks judge every managed namespace, so this class has a plane of its own.
/// </summary>
public sealed class TenantPolicyAdmissionTests : IAsyncLifetime
{
    private readonly WebhookSetup _webhook = WebhookSetup.Unique();
    private ControlPlane _plane = null!;
    private OperatorUnderTest _operator = null!;
    private IKubernetes Admin => _plane.AdminClient();

    public async Task InitializeAsync()
    {
        _plane = await ControlPlane.StartAsync(new ControlPlaneOptions());
        await Crd.InstallAsync(_plane);
        _operator = await _webhook.StartAsync(_plane, UniqueName.For("policy"), w => w.WorkloadPolicies = true);
        // bob and carol may do anything RBAC allows (cluster-admin by binding), but are not admins to the policy:
        // only system:masters and the configured admin group are.
        await Admin.RbacAuthorizationV1.CreateClusterRoleBindingAsync(new V1ClusterRoleBinding
        {
            Metadata = new V1ObjectMeta { Name = "sales-engineers-cluster-admin" },
            RoleRef = new V1RoleRef { ApiGroup = "rbac.authorization.k8s.io", Kind = "ClusterRole", Name = "cluster-admin" },
            Subjects = [new Rbacv1Subject { ApiGroup = "rbac.authorization.k8s.io", Kind = "Group", Name = "sales" }],
        });
    }

    public async Task DisposeAsync()
    {
        await _operator.DisposeAsync();
        await _plane.DisposeAsync();
    }

    private IKubernetes As(string user) => _plane.ClientFor(user, "sales");

    private async Task<DemoTenant> ReadyTenantAsync(string prefix, Action<DemoTenantSpec>? spec = null)
    {
        var tenant = _operator.Own(Tenants.New(UniqueName.For(prefix), spec));
        await Tenants.CreateAsync(Admin, tenant);
        await Tenants.WaitForPhaseAsync(Admin, tenant.Metadata.Name, Phases.Ready);
        return tenant;
    }

    private static async Task<string> RefusedAsync(Func<Task> call)
    {
        var e = await FluentActions.Awaiting(call).Should().ThrowAsync<HttpOperationException>();
        return e.Which.Response.Content;
    }

    private static V1Pod Pod(string name, Action<V1Pod>? change = null)
    {
        var pod = new V1Pod
        {
            Metadata = new V1ObjectMeta { Name = name },
            Spec = new V1PodSpec
            {
                SecurityContext = new V1PodSecurityContext { RunAsNonRoot = true, RunAsUser = 1000, SeccompProfile = new V1SeccompProfile { Type = "RuntimeDefault" } },
                Containers =
                [
                    new V1Container
                    {
                        Name = "app", Image = "registry.example/app:1",
                        SecurityContext = new V1SecurityContext { AllowPrivilegeEscalation = false, Capabilities = new V1Capabilities { Drop = ["ALL"] } },
                    },
                ],
            },
        };
        change?.Invoke(pod);
        return pod;
    }

    private async Task<string> UnmanagedNamespaceAsync()
    {
        var ns = UniqueName.For("plain");
        await Admin.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = ns } });
        return ns;
    }

    [LocalPlaneFact]
    public async Task A_sales_engineer_creates_demos_only_for_themselves_and_cannot_touch_anothers()
    {
        var bobs = _operator.Own(Tenants.New(UniqueName.For("bob"), s => s.Owner = "bob"));
        var stored = await Tenants.CreateAsync(As("bob"), bobs);
        stored.Metadata.Name.Should().Be(bobs.Metadata.Name, "creating your own demo is allowed");

        var forAlice = _operator.Own(Tenants.New(UniqueName.For("alice"), s => s.Owner = "alice"));
        (await RefusedAsync(() => Tenants.CreateAsync(As("bob"), forAlice))).Should().Contain("spec.owner").And.Contain("bob");
        (await Tenants.GetAsync(Admin, forAlice.Metadata.Name)).Should().BeNull("nothing is stored");

        (await RefusedAsync(() => Tenants.PatchSpecAsync(As("carol"), bobs.Metadata.Name, new { ttl = "720h" })))
            .Should().Contain("bob");
        (await RefusedAsync(() => Tenants.DeleteAsync(As("carol"), bobs.Metadata.Name))).Should().Contain("bob");
        (await Tenants.GetAsync(Admin, bobs.Metadata.Name)).Should().NotBeNull("carol's delete was refused");

        await Tenants.PatchSpecAsync(As("bob"), bobs.Metadata.Name, new { ttl = "100h" });
        (await Tenants.GetAsync(Admin, bobs.Metadata.Name))!.Spec.Ttl.Should().Be("100h", "the owner may change their demo");
    }

    [LocalPlaneFact]
    public async Task External_ips_privileged_and_host_path_are_refused_in_a_tenant_namespace_and_accepted_in_an_unmanaged_one()
    {
        var ns = (await ReadyTenantAsync("wl")).Spec.Namespace!;
        var plain = await UnmanagedNamespaceAsync();
        var prospect = As("prospect");

        V1Service Mitm() => new()
        {
            Metadata = new V1ObjectMeta { Name = "mitm" },
            Spec = new V1ServiceSpec { Ports = [new V1ServicePort { Port = 443 }], ExternalIPs = ["8.8.8.8"] },
        };
        (await RefusedAsync(() => prospect.CoreV1.CreateNamespacedServiceAsync(Mitm(), ns))).Should().Contain("externalIPs");
        await prospect.CoreV1.CreateNamespacedServiceAsync(Mitm(), plain);

        V1Pod Privileged() => Pod("root", p => p.Spec.Containers[0].SecurityContext = new V1SecurityContext { Privileged = true });
        (await RefusedAsync(() => prospect.CoreV1.CreateNamespacedPodAsync(Privileged(), ns))).Should().Contain("privileged");
        await prospect.CoreV1.CreateNamespacedPodAsync(Privileged(), plain);

        V1Pod HostPath() => Pod("node-root", p =>
        {
            p.Spec.Volumes = [new V1Volume { Name = "root", HostPath = new V1HostPathVolumeSource { Path = "/" } }];
            p.Spec.Containers[0].VolumeMounts = [new V1VolumeMount { Name = "root", MountPath = "/host" }];
        });
        (await RefusedAsync(() => prospect.CoreV1.CreateNamespacedPodAsync(HostPath(), ns))).Should().Contain("hostPath");
        await prospect.CoreV1.CreateNamespacedPodAsync(HostPath(), plain);

        (await prospect.CoreV1.ListNamespacedPodAsync(ns)).Items.Should().BeEmpty("nothing refused was stored");
        await prospect.CoreV1.CreateNamespacedPodAsync(Pod("fine"), ns);
    }

    [LocalPlaneFact]
    public async Task A_pod_of_a_node_isolated_tenant_gets_its_nodes_and_cannot_leave_them()
    {
        var ns = (await ReadyTenantAsync("iso", s => s.Isolation = new IsolationSpec
        {
            Nodes = new NodeIsolationSpec
            {
                Selector = new Dictionary<string, string> { ["demo.example/pool"] = "tenant-iso" },
                Tolerations = [new V1Toleration { Key = "demo.example/pool", OperatorProperty = "Equal", Value = "tenant-iso", Effect = "NoSchedule" }],
            },
        })).Spec.Namespace!;
        var prospect = As("prospect");

        var created = await prospect.CoreV1.CreateNamespacedPodAsync(Pod("placed"), ns);
        created.Spec.NodeSelector.Should().Contain("demo.example/pool", "tenant-iso");
        created.Spec.Tolerations.Should().Contain(t => t.Key == "demo.example/pool" && t.Value == "tenant-iso");

        // Pointing the selector elsewhere is overwritten on the way in; naming a node skips the scheduler and is refused.
        var elsewhere = await prospect.CoreV1.CreateNamespacedPodAsync(Pod("elsewhere", p =>
            p.Spec.NodeSelector = new Dictionary<string, string> { ["demo.example/pool"] = "shared" }), ns);
        elsewhere.Spec.NodeSelector["demo.example/pool"].Should().Be("tenant-iso");
        (await RefusedAsync(() => prospect.CoreV1.CreateNamespacedPodAsync(Pod("pinned", p => p.Spec.NodeName = "node-1"), ns)))
            .Should().Contain("nodeName");

        var nsObject = await Admin.CoreV1.ReadNamespaceAsync(ns);
        nsObject.Metadata.Annotations.Should().ContainKey("scheduler.alpha.kubernetes.io/node-selector",
            "the PodNodeSelector plugin holds the same where the webhook is off");
    }
}
