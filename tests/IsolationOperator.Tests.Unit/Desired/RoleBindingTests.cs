using IsolationOperator.Desired;
using IsolationOperator.Tests.Unit.Support;
using k8s.Models;

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
        bindings.Should().OnlyContain(b => b.RoleRef.Kind == "ClusterRole" && b.RoleRef.ApiGroup == "rbac.authorization.k8s.io");
        bindings.Should().OnlyContain(b => b.Subjects.Single().ApiGroup == "rbac.authorization.k8s.io");
        bindings.Should().OnlyContain(b => b.Metadata.NamespaceProperty == "demo-acme" && TenantLabels.TenantOf(b.Metadata) == "acme");
        bindings.Should().OnlyContain(b => b.Metadata.Name.StartsWith(RbacBuilder.AccessBindingPrefix));
    }

    [Fact]
    public void Bindings_only_reference_roles_the_operator_builds()
    {
        var plan = Tenants.Plan(s => s.Access = [Tenants.Access("User", "a", "admin"), Tenants.Access("User", "b", "edit"), Tenants.Access("User", "c", "view")]);
        var roles = RbacBuilder.BuildClusterRoles().Select(r => r.Metadata.Name).ToHashSet();
        RbacBuilder.BuildBindings(plan).Should().OnlyContain(b => b.RoleRef.Kind == "ClusterRole" && roles.Contains(b.RoleRef.Name));
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
    public void Operator_binds_itself_in_the_tenant_namespace_only_when_configured_and_also_while_suspended()
    {
        RbacBuilder.BuildOperatorBinding(Tenants.Plan()).Should().BeNull("without configuration the operator holds those permissions itself");

        var access = new OperatorAccess("io-in-tenant-namespaces", "system:serviceaccount:isolation-system:io");
        var plan = Tenants.Plan(s => s.Suspended = true) with { OperatorAccess = access };
        var binding = RbacBuilder.BuildOperatorBinding(plan)!;

        binding.Metadata.Name.Should().Be(RbacBuilder.OperatorBindingName);
        binding.Metadata.NamespaceProperty.Should().Be("demo-acme");
        binding.RoleRef.Should().BeEquivalentTo(new V1RoleRef { ApiGroup = "rbac.authorization.k8s.io", Kind = "ClusterRole", Name = "io-in-tenant-namespaces" });
        binding.Subjects.Should().ContainSingle().Which.Should().BeEquivalentTo(new Rbacv1Subject { Kind = "ServiceAccount", Name = "io", NamespaceProperty = "isolation-system" });
        DesiredState.Fences(plan, "se@vendor.example", "Acme").OfType<V1RoleBinding>().Should().ContainSingle("suspension needs the operator's own grant")
            .Which.Metadata.Name.Should().Be(RbacBuilder.OperatorBindingName);
        AccessRevocationNames(plan).Should().Contain(RbacBuilder.OperatorBindingName, "revoking people's access never takes the operator's own grant");
    }

    [Fact]
    public void Operator_subject_is_a_user_unless_its_name_is_a_service_accounts()
    {
        new OperatorAccess("r", "isolation-operator-local").Subject().Should().BeEquivalentTo(new Rbacv1Subject { Kind = "User", Name = "isolation-operator-local", ApiGroup = "rbac.authorization.k8s.io" });
        new OperatorAccess("r", "system:serviceaccount:a:b:c").Subject().Kind.Should().Be("User", "not a service account name");
    }

    private static IReadOnlySet<string> AccessRevocationNames(TenantPlan plan) =>
        IsolationOperator.Reconciliation.AccessRevocation.Allowed(Tenants.New(spec: s => s.Suspended = true), plan, DateTimeOffset.UtcNow);
}
