using System.Text.Json;
using IsolationOperator.Api.V1Alpha1;
using IsolationOperator.Desired;
using IsolationOperator.Tests.Integration.Chart;
using IsolationOperator.Tests.Integration.Infrastructure;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace IsolationOperator.Tests.Integration.Guard;

/// <summary>
/// What a stolen copy of the operator's token can do: with the token the test mints for the chart's ServiceAccount,
/// RBAC refuses pods, exec and Secrets outside demo namespaces, and the operator guard (its own webhook, fail-open)
/// refuses what RBAC cannot scope: deleting or labelling a namespace it does not manage, RoleBindings in kube-system.
/// The same operator, on that same token, still runs a demo's whole life.
/// </summary>
[TestCaseOrderer(RunsLastOrderer.TypeName, RunsLastOrderer.AssemblyName)]
public sealed class OperatorTokenTests(TokenOperator fixture) : IClassFixture<TokenOperator>
{
    private IKubernetes Admin => fixture.Admin;
    private IKubernetes Stolen => fixture.OperatorToken;

    private static async Task<string> RefusedAsync(Func<Task> call)
    {
        var e = await FluentActions.Awaiting(call).Should().ThrowAsync<HttpOperationException>();
        e.Which.Response.StatusCode.Should().BeOneOf(System.Net.HttpStatusCode.Forbidden, System.Net.HttpStatusCode.BadRequest);
        return e.Which.Response.Content;
    }

    private async Task<bool> CanAsync(string verb, string resource, string ns, string group = "", string? subresource = null) =>
        (await Stolen.AuthorizationV1.CreateSelfSubjectAccessReviewAsync(new V1SelfSubjectAccessReview
        {
            Spec = new V1SelfSubjectAccessReviewSpec
            {
                ResourceAttributes = new V1ResourceAttributes { Verb = verb, Resource = resource, Subresource = subresource, NamespaceProperty = ns, Group = group },
            },
        })).Status.Allowed;

    private async Task<V1Namespace> UnmanagedNamespaceAsync() =>
        await Admin.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = UniqueName.For("not-a-demo") } });

    [Fact]
    public async Task Operator_token_may_not_create_pods_exec_read_secrets_or_write_workloads_in_kube_system()
    {
        var pod = new V1Pod { Metadata = new V1ObjectMeta { Name = "stolen" }, Spec = new V1PodSpec { Containers = [new V1Container { Name = "c", Image = "registry.invalid/x:1" }] } };
        (await RefusedAsync(() => Stolen.CoreV1.CreateNamespacedPodAsync(pod, "kube-system"))).Should().Contain("forbidden");

        (await RefusedAsync(() => Stolen.CoreV1.ListNamespacedSecretAsync("kube-system"))).Should().Contain("forbidden");
        (await RefusedAsync(() => Stolen.CoreV1.ReadNamespacedSecretAsync("anything", "kube-system"))).Should().Contain("forbidden");
        (await CanAsync("list", "secrets", "")).Should().BeFalse("no Secret is readable cluster-wide, not even by list");
        (await CanAsync("create", "pods", "kube-system", subresource: "exec")).Should().BeFalse("exec into kube-system");
        (await CanAsync("delete", "pods", "kube-system")).Should().BeFalse();
        (await CanAsync("patch", "deployments", "kube-system", "apps")).Should().BeFalse();
        (await CanAsync("create", "roles", "kube-system", "rbac.authorization.k8s.io")).Should().BeFalse("the operator writes no Role anywhere");
        (await CanAsync("bind", "clusterroles", "", "rbac.authorization.k8s.io")).Should().BeFalse("bind only by the names the chart lists");
    }

    [Fact]
    public async Task Operator_guard_refuses_deleting_a_namespace_the_operator_does_not_manage()
    {
        var victim = await UnmanagedNamespaceAsync();

        (await RefusedAsync(() => Stolen.CoreV1.DeleteNamespaceAsync(victim.Metadata.Name))).Should().Contain("operator guard");
        (await Admin.CoreV1.ReadNamespaceAsync(victim.Metadata.Name)).Metadata.DeletionTimestamp.Should().BeNull();
    }

    [Fact]
    public async Task Operator_guard_refuses_a_role_binding_in_kube_system_even_to_a_role_the_operator_may_bind()
    {
        var binding = new V1RoleBinding
        {
            Metadata = new V1ObjectMeta { Name = UniqueName.For("stolen") },
            RoleRef = new V1RoleRef { ApiGroup = "rbac.authorization.k8s.io", Kind = "ClusterRole", Name = "tenant-admin" },
            Subjects = [new Rbacv1Subject { ApiGroup = "rbac.authorization.k8s.io", Kind = "User", Name = "mallory" }],
        };

        (await RefusedAsync(() => Stolen.RbacAuthorizationV1.CreateNamespacedRoleBindingAsync(binding, "kube-system"))).Should().Contain("operator guard").And.Contain("kube-system");
    }

    [Fact]
    public async Task Operator_guard_refuses_labelling_an_unmanaged_namespace_as_managed()
    {
        var victim = await UnmanagedNamespaceAsync();
        var patch = JsonSerializer.Serialize(new { metadata = new { labels = new Dictionary<string, string> { [TenantLabels.ManagedBy] = TenantLabels.ManagedByValue } } });

        (await RefusedAsync(() => Stolen.CoreV1.PatchNamespaceAsync(new V1Patch(patch, V1Patch.PatchType.MergePatch), victim.Metadata.Name)))
            .Should().Contain("operator guard").And.Contain("may not add the label");
        ((await Admin.CoreV1.ReadNamespaceAsync(victim.Metadata.Name)).Metadata.Labels ?? new Dictionary<string, string>()).Should().NotContainKey(TenantLabels.ManagedBy);
    }

    [Fact]
    public async Task Other_users_are_not_judged_by_the_guard()
    {
        var victim = await UnmanagedNamespaceAsync();
        var patch = JsonSerializer.Serialize(new { metadata = new { labels = new Dictionary<string, string> { ["team"] = "platform" } } });

        await Admin.CoreV1.PatchNamespaceAsync(new V1Patch(patch, V1Patch.PatchType.MergePatch), victim.Metadata.Name);
        await Admin.CoreV1.DeleteNamespaceAsync(victim.Metadata.Name);
    }

    [Fact]
    public async Task A_sales_engineer_bound_to_demotenant_editor_is_the_demos_admin_and_no_path_into_it()
    {
        var se = UniqueName.For("se");
        await using var engineer = await ClusterWideBinding.CreateAsync(Admin, "demotenant-editor", "User", se);
        var tenant = fixture.Own(Tenants.New(UniqueName.For("se"), s => s.Access =
        [
            new AccessEntry { Kind = "User", Name = se, Role = "admin" },
            new AccessEntry { Kind = "Guest", Name = "jane", Role = "view" },
        ]));
        await Tenants.CreateAsync(Admin, tenant);
        await Tenants.WaitForPhaseAsync(Admin, tenant.Metadata.Name, Phases.Ready, TimeSpan.FromSeconds(60));

        var verified = await Verifications.WaitAsync(Admin, tenant.Metadata.Name, "True");
        verified.Status!.Verification!.Paths.Should().BeNullOrEmpty("a binding that grants only DemoTenants opens no namespace");
        await Tenants.DeleteAsync(Admin, tenant.Metadata.Name);
    }

    [Fact]
    public async Task On_the_operators_own_token_a_demo_is_Ready_with_pod_security_enforced_suspends_resumes_and_is_deleted()
    {
        var tenant = fixture.Own(Tenants.New(UniqueName.For("tok"), s => s.Access = [new AccessEntry { Kind = "Group", Name = "prospect", Role = "edit" }]));
        await Tenants.CreateAsync(Admin, tenant);
        var ready = await Tenants.WaitForPhaseAsync(Admin, tenant.Metadata.Name, Phases.Ready, TimeSpan.FromSeconds(60));
        var ns = ready.Status!.Namespace!;

        var security = Tenants.Condition(ready, ConditionTypes.PodSecurityEnforced);
        (security?.Status).Should().Be("True", security?.Message);
        security!.Message.Should().Contain("refused");
        var bindings = (await Admin.RbacAuthorizationV1.ListNamespacedRoleBindingAsync(ns)).Items;
        bindings.Should().Contain(b => b.Metadata.Name == RbacBuilder.OperatorBindingName && b.RoleRef.Name == fixture.Options.TenantNamespaceRole);
        bindings.Should().Contain(b => b.RoleRef.Kind == "ClusterRole" && b.RoleRef.Name == "tenant-edit");

        await Admin.AppsV1.CreateNamespacedDeploymentAsync(Deployment("web", 3), ns);
        await Tenants.PatchSpecAsync(Admin, tenant.Metadata.Name, new { suspended = true });
        await Tenants.WaitForPhaseAsync(Admin, tenant.Metadata.Name, Phases.Suspended);
        (await Admin.AppsV1.ReadNamespacedDeploymentAsync("web", ns)).Spec.Replicas.Should().Be(0, "the operator scaled it through its binding in this namespace");
        await Tenants.PatchSpecAsync(Admin, tenant.Metadata.Name, new { suspended = false });
        await Tenants.WaitForPhaseAsync(Admin, tenant.Metadata.Name, Phases.Ready);
        (await Admin.AppsV1.ReadNamespacedDeploymentAsync("web", ns)).Spec.Replicas.Should().Be(3);

        await Tenants.DeleteAsync(Admin, tenant.Metadata.Name);
        await Eventually.HoldsAsync("DemoTenant and its namespace gone", async () =>
            await Tenants.GetAsync(Admin, tenant.Metadata.Name) is null
            && (await Admin.CoreV1.ListNamespaceAsync(fieldSelector: $"metadata.name={ns}")).Items.Count == 0, TimeSpan.FromSeconds(60));
    }

    [Fact]
    [RunsLast]
    public async Task An_outage_of_the_guard_blocks_nobody()
    {
        await fixture.StopOperatorAsync();
        var started = DateTimeOffset.UtcNow;

        var binding = new V1RoleBinding
        {
            Metadata = new V1ObjectMeta { Name = UniqueName.For("admin-made") },
            RoleRef = new V1RoleRef { ApiGroup = "rbac.authorization.k8s.io", Kind = "ClusterRole", Name = "view" },
            Subjects = [new Rbacv1Subject { ApiGroup = "rbac.authorization.k8s.io", Kind = "Group", Name = "auditors" }],
        };
        await Admin.RbacAuthorizationV1.CreateNamespacedRoleBindingAsync(binding, "kube-system");
        await Admin.CoreV1.DeleteNamespaceAsync((await UnmanagedNamespaceAsync()).Metadata.Name);

        (DateTimeOffset.UtcNow - started).Should().BeLessThan(TimeSpan.FromSeconds(10), "the guard fails open within its 2 s timeout, and only for the operator's own requests");
    }

    private static V1Deployment Deployment(string name, int replicas)
    {
        var labels = new Dictionary<string, string> { ["app"] = name };
        return new V1Deployment
        {
            Metadata = new V1ObjectMeta { Name = name },
            Spec = new V1DeploymentSpec
            {
                Replicas = replicas,
                Selector = new V1LabelSelector { MatchLabels = labels },
                Template = new V1PodTemplateSpec
                {
                    Metadata = new V1ObjectMeta { Labels = labels },
                    Spec = new V1PodSpec
                    {
                        SecurityContext = new V1PodSecurityContext { RunAsNonRoot = true, RunAsUser = 1000, SeccompProfile = new V1SeccompProfile { Type = "RuntimeDefault" } },
                        Containers =
                        [
                            new V1Container
                            {
                                Name = name, Image = "registry.invalid/demo:1",
                                SecurityContext = new V1SecurityContext { AllowPrivilegeEscalation = false, Capabilities = new V1Capabilities { Drop = ["ALL"] } },
                            },
                        ],
                    },
                },
            },
        };
    }
}
