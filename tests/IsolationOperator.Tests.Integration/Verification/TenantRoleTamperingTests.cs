using IsolationOperator.Api.V1Alpha1;
using IsolationOperator.LocalCluster;
using IsolationOperator.Tests.Integration.Infrastructure;
using k8s;

namespace IsolationOperator.Tests.Integration.Verification;

/// <summary>
/// Issue 13 with issue 12's model: the tenant roles are the chart's ClusterRoles, which the operator binds but may not
/// write. An edit that widens one is caught by the access matrix and named as a path (with who changed it); the chart
/// restores it and the demo verifies again. A plane of its own: widening tenant-edit on the shared plane would
/// change what every other test's prospect may do.
/// </summary>
public sealed class TenantRoleTamperingTests : IAsyncLifetime
{
    private ControlPlane _plane = null!;
    private OperatorUnderTest _operator = null!;
    private IKubernetes Admin => _plane.AdminClient();

    public async Task InitializeAsync()
    {
        _plane = await ControlPlane.StartAsync(new ControlPlaneOptions());
        _operator = await OperatorUnderTest.StartAsync(_plane, UniqueName.For("tamper"), o => o.VerificationPeriod = TimeSpan.FromSeconds(3));
    }

    public async Task DisposeAsync()
    {
        await _operator.DisposeAsync();
        await _plane.DisposeAsync();
    }

    private Task<DemoTenant> VerificationAsync(string name, string status, string? mentioning = null) => Verifications.WaitAsync(Admin, name, status, mentioning);

    [LocalPlaneFact]
    public async Task A_tenant_role_edited_to_write_network_policies_breaks_verification_until_the_chart_restores_it()
    {
        var prospect = UniqueName.For("prospect");
        var tenant = _operator.Own(Tenants.New(UniqueName.For("tamper"), s => s.Access = [new AccessEntry { Kind = "Group", Name = prospect, Role = "edit" }]));
        await Tenants.CreateAsync(Admin, tenant);
        await Tenants.WaitForPhaseAsync(Admin, tenant.Metadata.Name, Phases.Ready);
        await VerificationAsync(tenant.Metadata.Name, "True");
        var ns = tenant.Spec.Namespace!;

        // What a hurried admin does so that a prospect can "just open a port".
        var edit = await Kubectl.RunAsync(_plane.KubeconfigPath, "patch", "clusterrole", "tenant-edit", "--type=json", "-p",
            """[{"op":"add","path":"/rules/-","value":{"apiGroups":["networking.k8s.io"],"resources":["networkpolicies"],"verbs":["create","update","patch","delete"]}}]""");
        edit.ExitCode.Should().Be(0, edit.ToString());

        var broken = await VerificationAsync(tenant.Metadata.Name, "False", "tenant-edit");
        var v = broken.Status!.Verification!;
        v.Failed.Should().Contain($"Group {prospect} can create networking.k8s.io/networkpolicies in {ns} (isolation forbids it)");
        var path = v.Paths.Should().ContainSingle(p => p.Kind == "ClusterRole").Which;
        path.Name.Should().Be("tenant-edit");
        path.ChangedBy.Should().Be("kubectl-patch", "the path names who widened the role");
        path.Opens.Should().Contain("create networking.k8s.io/networkpolicies").And.Contain("helm upgrade");
        await Tenants.EventsOnceAsync(Admin, tenant.Metadata.Name, e => e.Reason == "IsolationBroken", "an IsolationBroken event");

        // The repair is the chart's: the operator binds tenant roles and may not write them (issue 12).
        var restore = await Kubectl.RunAsync(_plane.KubeconfigPath, "apply", "-f", RepoRoot.File("charts/isolation-operator/files/tenant-clusterroles.yaml"));
        restore.ExitCode.Should().Be(0, restore.ToString());
        var repaired = await VerificationAsync(tenant.Metadata.Name, "True");
        repaired.Status!.Verification!.Paths.Should().BeNullOrEmpty();
        repaired.Status.Verification.Failed.Should().BeNullOrEmpty();
    }
}
