using IsolationOperator.Desired;
using IsolationOperator.Tests.Unit.Support;

namespace IsolationOperator.Tests.Unit.Desired;

public class RoleBindingTests
{
    [Fact]
    public void Each_access_entry_in_force_is_bound_to_its_tenant_role()
    {
        var plan = Tenants.Plan(s => s.Access =
        [
            Tenants.Access("Group", "prospect-acme", "edit"),
            Tenants.Access("User", "se-alice", "admin"),
            Tenants.Access("User", "auditor", "view"),
        ]);

        var bindings = RbacBuilder.BuildBindings(plan).Where(b => !b.Metadata.Name.StartsWith(RbacBuilder.WorkloadBindingPrefix)).ToList();

        bindings.Select(b => (b.Subjects.Single().Kind, b.Subjects.Single().Name, b.RoleRef.Name)).Should().BeEquivalentTo(new[]
        {
            ("Group", "prospect-acme", "tenant-edit"),
            ("User", "se-alice", "tenant-admin"),
            ("User", "auditor", "tenant-view"),
        });
        bindings.Should().OnlyContain(b => b.RoleRef.Kind == "Role" && b.RoleRef.ApiGroup == "rbac.authorization.k8s.io");
        bindings.Should().OnlyContain(b => b.Subjects.Single().ApiGroup == "rbac.authorization.k8s.io");
        bindings.Should().OnlyContain(b => b.Metadata.NamespaceProperty == "demo-acme" && TenantLabels.TenantOf(b.Metadata) == "acme");
        bindings.Should().OnlyContain(b => b.Metadata.Name.StartsWith(RbacBuilder.AccessBindingPrefix));
    }

    [Fact]
    public void Bindings_only_reference_roles_the_operator_builds()
    {
        var plan = Tenants.Plan(s => s.Access = [Tenants.Access("User", "a", "admin"), Tenants.Access("User", "b", "edit"), Tenants.Access("User", "c", "view")]);
        var roles = RbacBuilder.BuildRoles(plan).Select(r => r.Metadata.Name).ToHashSet();
        RbacBuilder.BuildBindings(plan).Should().OnlyContain(b => b.RoleRef.Kind == "Role" && roles.Contains(b.RoleRef.Name));
    }

    [Fact]
    public void Workload_service_account_is_bound_to_view_by_default_in_its_own_namespace()
    {
        var binding = RbacBuilder.BuildBindings(Tenants.Plan()).Should().ContainSingle().Subject;

        binding.Metadata.Name.Should().Be("demo-workload-view");
        binding.RoleRef.Name.Should().Be("tenant-view");
        var subject = binding.Subjects.Should().ContainSingle().Subject;
        subject.Kind.Should().Be("ServiceAccount");
        subject.Name.Should().Be(RbacBuilder.WorkloadServiceAccount);
        subject.NamespaceProperty.Should().Be("demo-acme");
    }

    [Fact]
    public void Expired_access_entries_are_not_bound()
    {
        var plan = Tenants.Plan(s => s.Access =
        [
            Tenants.Access("User", "gone", "edit", Tenants.Now.AddMinutes(-1)),
            Tenants.Access("User", "still-here", "edit", Tenants.Now.AddDays(1)),
        ]);

        var subjects = RbacBuilder.BuildBindings(plan).SelectMany(b => b.Subjects).Select(s => s.Name).ToList();

        subjects.Should().Contain("still-here").And.NotContain("gone");
    }

    [Fact]
    public void Suspended_tenant_has_no_bindings()
    {
        var plan = Tenants.Plan(s =>
        {
            s.Suspended = true;
            s.Access = [Tenants.Access("Group", "prospect-acme", "edit")];
        });

        RbacBuilder.BuildBindings(plan).Should().BeEmpty("neither people nor the workload account keep access while suspended");
    }

    [Fact]
    public void Suspension_keeps_the_roles_so_resuming_needs_only_bindings()
    {
        var plan = Tenants.Plan(s => s.Suspended = true);
        RbacBuilder.BuildRoles(plan).Should().HaveCount(3);
    }
}
