using System.Net;
using IsolationOperator.Api.V1Alpha1;
using IsolationOperator.Desired;
using IsolationOperator.Tests.Integration.Infrastructure;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace IsolationOperator.Tests.Integration.Operator;

/// <summary>Bad input gets a clear error and leaves nothing half-made.</summary>
public sealed class RefusalTests(ControlPlaneFixture fixture) : IClassFixture<ControlPlaneFixture>, IAsyncLifetime
{
    private OperatorUnderTest _operator = null!;
    private IKubernetes Admin => fixture.Plane.AdminClient();

    public async Task InitializeAsync() => _operator = await OperatorUnderTest.StartAsync(fixture.Plane, UniqueName.For("refuse"));
    public async Task DisposeAsync() => await _operator.DisposeAsync();

    public static TheoryData<string, string> MalformedSpecs => new()
    {
        { "unknown profile", "prospect: P\n  owner: o\n  profile: huge" },
        { "missing owner", "prospect: P" },
        { "bad quantity", "prospect: P\n  owner: o\n  quota: {requests.cpu: \"two cores\"}" },
        { "bad namespace name", "prospect: P\n  owner: o\n  namespace: Demo_ACME" },
        { "unknown role", "prospect: P\n  owner: o\n  access: [{kind: User, name: x, role: root}]" },
        { "bad ttl", "prospect: P\n  owner: o\n  ttl: one week" },
        { "a platform namespace", "prospect: P\n  owner: o\n  namespace: monitoring" },
    };

    [Theory]
    [MemberData(nameof(MalformedSpecs))]
    public async Task Malformed_specs_are_refused_by_the_api(string what, string spec)
    {
        var name = UniqueName.For("bad");
        var yaml = $"apiVersion: isolation.demo.dev/v1alpha1\nkind: DemoTenant\nmetadata:\n  name: {name}\nspec:\n  {spec}\n";
        var result = await Kubectl.RunAsync(fixture.Plane.KubeconfigPath, (KubectlInput)yaml, "apply", "--validate=false", "-f", "-");
        // --validate=false: the refusal must come from the API server (the CRD schema), not from kubectl.
        result.ExitCode.Should().NotBe(0, what);
        result.Stderr.Should().MatchRegex("Invalid value|Required value|Unsupported value", what);
        (await Tenants.GetAsync(Admin, name)).Should().BeNull();
    }

    [Fact]
    public async Task A_pre_existing_foreign_namespace_is_left_untouched()
    {
        var foreign = UniqueName.For("demo-foreign"); // demo-: any other name is refused by the CRD before the operator sees it
        await Admin.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = foreign, Labels = new Dictionary<string, string> { ["team"] = "payments" } } });
        var tenant = _operator.Own(Tenants.New(UniqueName.For("grab"), s => s.Namespace = foreign));
        await Tenants.CreateAsync(Admin, tenant);

        var failed = await Tenants.WaitForPhaseAsync(Admin, tenant.Metadata.Name, Phases.Failed);
        var cond = Tenants.Condition(failed, ConditionTypes.NamespaceReady)!;
        cond.Status.Should().Be("False");
        cond.Reason.Should().Be("NamespaceNotOwned");
        cond.Message.Should().Contain(foreign).And.Contain("left untouched");
        failed.Status!.ManagedResources.Should().BeNullOrEmpty();

        var ns = await Admin.CoreV1.ReadNamespaceAsync(foreign);
        ns.Metadata.Labels.Should().NotContainKey(TenantLabels.Tenant).And.NotContainKey("pod-security.kubernetes.io/enforce");
        (await Admin.NetworkingV1.ListNamespacedNetworkPolicyAsync(foreign)).Items.Should().BeEmpty();
        (await Admin.RbacAuthorizationV1.ListNamespacedRoleBindingAsync(foreign)).Items.Should().BeEmpty();

        // Deleting that DemoTenant must not take the foreign namespace with it.
        await Tenants.DeleteAsync(Admin, tenant.Metadata.Name);
        await Eventually.HoldsAsync("tenant gone", async () => await Tenants.GetAsync(Admin, tenant.Metadata.Name) is null);
        (await Admin.CoreV1.ReadNamespaceAsync(foreign)).Metadata.DeletionTimestamp.Should().BeNull();
    }

    [Fact]
    public async Task A_spec_the_schema_cannot_judge_fails_with_a_readable_condition_and_creates_nothing()
    {
        var tenant = _operator.Own(Tenants.New(UniqueName.For("quota"), s => s.Quota = new Dictionary<string, IntOrString> { ["services.nodeports"] = "3", ["gpus"] = "1" }));
        await Tenants.CreateAsync(Admin, tenant);

        var failed = await Tenants.WaitForPhaseAsync(Admin, tenant.Metadata.Name, Phases.Failed);
        var ready = Tenants.Condition(failed, ConditionTypes.Ready)!;
        ready.Reason.Should().Be("InvalidSpec");
        ready.Message.Should().Contain("spec.quota.services.nodeports").And.Contain("spec.quota.gpus").And.Contain("Nothing was created");
        var act = () => Admin.CoreV1.ReadNamespaceAsync(tenant.Spec.Namespace);
        (await act.Should().ThrowAsync<HttpOperationException>()).Which.Response.StatusCode.Should().Be(HttpStatusCode.NotFound);
        await Tenants.EventsOnceAsync(Admin, tenant.Metadata.Name, e => e.Reason == "InvalidSpec" && e.Type == "Warning", "an InvalidSpec warning");

        // Fixing the spec heals it.
        await Tenants.PatchSpecAsync(Admin, tenant.Metadata.Name, new { quota = new Dictionary<string, string?> { ["services.nodeports"] = null, ["gpus"] = null } });
        await Tenants.WaitForPhaseAsync(Admin, tenant.Metadata.Name, Phases.Ready);
    }

    [Fact]
    public async Task Deleting_a_demo_tenant_removes_its_namespace()
    {
        var tenant = _operator.Own(Tenants.New(UniqueName.For("bye")));
        await Tenants.CreateAsync(Admin, tenant);
        await Tenants.WaitForPhaseAsync(Admin, tenant.Metadata.Name, Phases.Ready);

        await Tenants.DeleteAsync(Admin, tenant.Metadata.Name);
        await Eventually.HoldsAsync("namespace and tenant gone", async () =>
        {
            var list = await Admin.CoreV1.ListNamespaceAsync(fieldSelector: $"metadata.name={tenant.Spec.Namespace}");
            return list.Items.Count == 0 && await Tenants.GetAsync(Admin, tenant.Metadata.Name) is null;
        }, TimeSpan.FromSeconds(60));
    }
}
