using IsolationOperator.Desired;
using IsolationOperator.Tests.Unit.Support;
using IsolationOperator.Verification;
using k8s.Models;

namespace IsolationOperator.Tests.Unit.Verification;

/// <summary>A sales engineer is bound cluster-wide to demotenant-editor and is the admin of their demos: not a path.</summary>
public class DemoTenantOnlyRolesTests
{
    private static V1ClusterRole Role(string name, params V1PolicyRule[] rules) => new() { Metadata = new V1ObjectMeta { Name = name }, Rules = rules.ToList() };

    private static V1PolicyRule Rule(string group, string resource, params string[] verbs) => new() { ApiGroups = [group], Resources = [resource], Verbs = verbs.ToList() };

    private static readonly V1ClusterRoleBinding EngineerBinding = new()
    {
        Metadata = new V1ObjectMeta { Name = "se-editor" },
        RoleRef = new V1RoleRef { Kind = "ClusterRole", Name = "demotenant-editor" },
        Subjects = [new Rbacv1Subject { Kind = "User", Name = "se@vendor.example" }],
    };

    private static IReadOnlyList<IsolationOperator.Api.V1Alpha1.IsolationPath> Paths(params V1ClusterRole[] live) =>
        IsolationPaths.Find("acme", Tenants.Plan(s => s.Access = [Tenants.Access("User", "se@vendor.example", "admin")]), null, [EngineerBinding], [], [],
            demoTenantOnlyRoles: DemoTenantOnlyRoles.Harmless(live));

    [Fact]
    public void The_chart_people_role_as_shipped_opens_no_namespace()
    {
        Paths(Role("demotenant-editor", Rule("isolation.demo.dev", "demotenants", "create", "update", "patch", "delete", "get", "list", "watch"))).Should().BeEmpty();
    }

    [Fact]
    public void The_same_role_widened_to_anything_else_is_a_path_again()
    {
        Paths(Role("demotenant-editor", Rule("isolation.demo.dev", "demotenants", "get"), Rule("", "secrets", "get"))).Should().ContainSingle()
            .Which.Opens.Should().Contain("in every namespace");
        Paths(Role("demotenant-editor", Rule("*", "*", "get"))).Should().ContainSingle();
        Paths(new V1ClusterRole { Metadata = new V1ObjectMeta { Name = "demotenant-editor" }, AggregationRule = new V1AggregationRule(), Rules = [] })
            .Should().ContainSingle("an aggregated role's rules are whatever gets aggregated");
    }

    [Fact]
    public void A_role_that_could_not_be_read_is_a_path_and_only_the_charts_names_are_trusted()
    {
        Paths().Should().ContainSingle("unknown rules are not taken on trust");
        DemoTenantOnlyRoles.Harmless([Role("my-demotenant-editor", Rule("isolation.demo.dev", "demotenants", "get"))]).Should().BeEmpty();
    }
}
