using IsolationOperator.Desired;
using IsolationOperator.Tests.Unit.Support;

namespace IsolationOperator.Tests.Unit.Desired;

/// <summary>A pod's token is the easiest credential to steal: the workload account reads unless the spec says edit.</summary>
public class WorkloadRoleTests
{
    private static k8s.Models.V1RoleBinding WorkloadBinding(TenantPlan plan) =>
        RbacBuilder.BuildBindings(plan).Should().ContainSingle(b => b.Subjects.Single().Kind == "ServiceAccount").Subject;

    [Fact]
    public void Workload_service_account_is_bound_to_view_by_default()
    {
        var plan = Tenants.Plan();

        plan.WorkloadRole.Should().Be("view");
        var binding = WorkloadBinding(plan);
        binding.Metadata.Name.Should().Be("demo-workload-view");
        binding.RoleRef.Name.Should().Be("tenant-view");
    }

    [Fact]
    public void Workload_service_account_is_bound_to_edit_when_asked()
    {
        var plan = Tenants.Plan(s => s.WorkloadRole = "edit");

        plan.WorkloadRole.Should().Be("edit");
        var binding = WorkloadBinding(plan);
        binding.Metadata.Name.Should().Be("demo-workload-edit");
        binding.RoleRef.Name.Should().Be("tenant-edit");
    }

    [Fact]
    public void An_explicit_view_or_empty_role_is_the_default()
    {
        Tenants.Plan(s => s.WorkloadRole = "view").WorkloadRole.Should().Be("view");
        Tenants.Plan(s => s.WorkloadRole = "").WorkloadRole.Should().Be("view");
    }

    [Fact]
    public void Changing_the_role_changes_the_binding_name_because_roleRef_is_immutable()
    {
        WorkloadBinding(Tenants.Plan(s => s.WorkloadRole = "view")).Metadata.Name
            .Should().NotBe(WorkloadBinding(Tenants.Plan(s => s.WorkloadRole = "edit")).Metadata.Name);
        RbacBuilder.WorkloadBindingName("edit").Should().Be(RbacBuilder.WorkloadBindingPrefix + "edit");
    }

    [Theory]
    [InlineData("admin")]
    [InlineData("View")]
    [InlineData("owner")]
    public void An_unknown_workload_role_is_refused(string role)
    {
        Tenants.Problems(s => s.WorkloadRole = role).Should().ContainSingle().Which.Should()
            .Be($"spec.workloadRole \"{role}\" is unknown; use view or edit");
    }

    [Fact]
    public void A_suspended_tenant_binds_no_workload_role_either()
    {
        RbacBuilder.BuildBindings(Tenants.Plan(s => { s.WorkloadRole = "edit"; s.Suspended = true; })).Should().BeEmpty();
    }
}
