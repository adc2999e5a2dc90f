using IsolationOperator.Desired;
using IsolationOperator.Verification;
using k8s.Models;

namespace IsolationOperator.Tests.Unit.Verification;

public sealed class TenantRoleDriftTests
{
    private static V1ClusterRole Shipped(string name) => RbacBuilder.BuildClusterRoles().Single(r => r.Metadata.Name == name);

    private static V1ClusterRole Widened(string name, V1PolicyRule extra, string manager = "kubectl-edit")
    {
        var role = Shipped(name);
        role.Rules = [.. role.Rules, extra];
        role.Metadata.ManagedFields =
        [
            new V1ManagedFieldsEntry { Manager = "kubectl-client-side-apply", Time = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc) },
            new V1ManagedFieldsEntry { Manager = manager, Time = new DateTime(2026, 3, 3, 0, 0, 0, DateTimeKind.Utc) },
        ];
        return role;
    }

    [Fact]
    public void The_roles_as_the_chart_ships_them_open_nothing()
    {
        TenantRoleDrift.Find(RbacBuilder.BuildClusterRoles(), ["admin", "edit", "view"]).Should().BeEmpty();
    }

    [Fact]
    public void A_rule_added_to_tenant_edit_is_a_path_naming_what_it_grants_and_who_changed_it()
    {
        var live = new[] { Widened("tenant-edit", new V1PolicyRule { ApiGroups = ["networking.k8s.io"], Resources = ["networkpolicies"], Verbs = ["create", "delete"] }) };

        var path = TenantRoleDrift.Find(live, ["edit"]).Should().ContainSingle().Which;

        path.Kind.Should().Be("ClusterRole");
        path.Name.Should().Be("tenant-edit");
        path.Namespace.Should().BeNull();
        path.ChangedBy.Should().Be("kubectl-edit", "the last manager to touch it");
        path.Opens.Should().Contain("create networking.k8s.io/networkpolicies").And.Contain("delete networking.k8s.io/networkpolicies");
    }

    [Fact]
    public void A_widened_role_the_demo_does_not_bind_is_not_its_path()
    {
        var live = new[] { Widened("tenant-admin", new V1PolicyRule { ApiGroups = [""], Resources = ["nodes"], Verbs = ["list"] }) };

        TenantRoleDrift.Find(live, ["edit", "view"]).Should().BeEmpty();
        TenantRoleDrift.Find(live, ["admin"]).Should().ContainSingle();
    }

    [Fact]
    public void A_wildcard_is_covered_only_by_a_wildcard()
    {
        var expected = Shipped("tenant-view").Rules.ToList();

        TenantRoleDrift.Extra([new V1PolicyRule { ApiGroups = ["*"], Resources = ["*"], Verbs = ["get"] }], expected)
            .Should().ContainSingle().Which.Should().Be("get */*");
        TenantRoleDrift.Extra([new V1PolicyRule { NonResourceURLs = ["/metrics"], Verbs = ["get"] }], expected)
            .Should().ContainSingle().Which.Should().Be("get /metrics");
    }

    [Fact]
    public void A_rule_narrowed_by_resource_names_is_covered_by_the_broader_rule_it_repeats()
    {
        var expected = Shipped("tenant-view").Rules.ToList();
        var pods = expected.First(r => r.Resources.Contains("pods") && r.Verbs.Contains("get"));

        TenantRoleDrift.Extra([new V1PolicyRule { ApiGroups = [""], Resources = ["pods"], Verbs = [pods.Verbs[0]], ResourceNames = ["web"] }], expected)
            .Should().BeEmpty();
    }

    [Fact]
    public void A_role_that_grants_less_is_not_a_way_in()
    {
        var role = Shipped("tenant-edit");
        role.Rules = role.Rules.Take(1).ToList();

        TenantRoleDrift.Find([role], ["edit"]).Should().BeEmpty("the matrix's promise checks report what no longer works");
    }
}
