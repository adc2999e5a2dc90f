using IsolationOperator.Api.V1Alpha1;
using IsolationOperator.Desired;
using IsolationOperator.Tests.Integration.Infrastructure;
using k8s;

namespace IsolationOperator.Tests.Integration.Operator;

/// <summary>
/// Issue 12 part 4: Pod Security is claimed only when a privileged pod is really refused. This plane (1.20) has no
/// Pod Security admission and these operators run no webhook, so a dry-run privileged pod is admitted: the condition
/// says so, and where the platform requires Pod Security nobody is bound. (With the webhook on it is True: see
/// Guard/OperatorTokenTests.)
/// </summary>
public sealed class PodSecurityTests(ControlPlaneFixture fixture) : IClassFixture<ControlPlaneFixture>
{
    private IKubernetes Admin => fixture.Plane.AdminClient();

    [Fact]
    public async Task Without_enforcement_a_required_pod_security_leaves_the_demo_Degraded_with_nobody_bound()
    {
        await using var op = await OperatorUnderTest.StartAsync(fixture.Plane, UniqueName.For("pss-required"), o => o.RequirePodSecurity = true);
        var tenant = op.Own(Tenants.New(UniqueName.For("pss"), s => s.Access = [new AccessEntry { Kind = "Group", Name = "prospect", Role = "edit" }]));
        await Tenants.CreateAsync(Admin, tenant);

        var degraded = await Tenants.WaitForPhaseAsync(Admin, tenant.Metadata.Name, Phases.Degraded);

        var security = Tenants.Condition(degraded, ConditionTypes.PodSecurityEnforced)!;
        (security.Status, security.Reason).Should().Be(("False", "PrivilegedPodAdmitted"));
        security.Message.Should().Contain("privileged pod was admitted").And.Contain("webhook");
        Tenants.Condition(degraded, ConditionTypes.AccessScoped)!.Reason.Should().Be("AccessWithheld");
        Tenants.Condition(degraded, ConditionTypes.Ready)!.Status.Should().Be("False");
        (await Admin.RbacAuthorizationV1.ListNamespacedRoleBindingAsync(degraded.Status!.Namespace!)).Items.Select(b => b.Metadata.Name)
            .Should().Equal([RbacBuilder.OperatorBindingName], "nobody is bound where a privileged pod would run, but for the operator's own grant");
        (await Admin.CoreV1.ListNamespacedPodAsync(degraded.Status.Namespace)).Items.Should().BeEmpty("the probe is a dry run: nothing is stored");
    }

    [Fact]
    public async Task Where_pod_security_is_not_required_the_condition_reports_and_the_demo_is_Ready()
    {
        await using var op = await OperatorUnderTest.StartAsync(fixture.Plane, UniqueName.For("pss-report"));
        var tenant = op.Own(Tenants.New(UniqueName.For("pss"), s => s.Access = [new AccessEntry { Kind = "Group", Name = "prospect", Role = "edit" }]));
        await Tenants.CreateAsync(Admin, tenant);

        var ready = await Tenants.WaitForPhaseAsync(Admin, tenant.Metadata.Name, Phases.Ready);

        Tenants.Condition(ready, ConditionTypes.PodSecurityEnforced)!.Status.Should().Be("False");
        Tenants.Condition(ready, ConditionTypes.NamespaceReady)!.Message.Should().Contain("labelled for Pod Security").And.NotContain("enforced");
        (await Admin.RbacAuthorizationV1.ListNamespacedRoleBindingAsync(ready.Status!.Namespace!)).Items.Should().Contain(b => b.RoleRef.Name == "tenant-edit");
    }
}
