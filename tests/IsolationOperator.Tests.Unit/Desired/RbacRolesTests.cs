using IsolationOperator.Desired;
using IsolationOperator.Tests.Unit.Support;
using k8s.Models;
using static IsolationOperator.Tests.Unit.Support.RbacPolicy;

namespace IsolationOperator.Tests.Unit.Desired;

/// <summary>The tenant roles must never let a tenant undo its own isolation.</summary>
public class RbacRolesTests
{
    public static TheoryData<string> TenantRoles => new() { "admin", "edit", "view" };

    /// <summary>What the fences are made of: (group, resource).</summary>
    private static readonly (string Group, string Resource)[] Fences =
    [
        ("networking.k8s.io", "networkpolicies"),
        ("", "resourcequotas"),
        ("", "limitranges"),
        ("rbac.authorization.k8s.io", "roles"),
        ("rbac.authorization.k8s.io", "rolebindings"),
        ("rbac.authorization.k8s.io", "clusterroles"),
        ("rbac.authorization.k8s.io", "clusterrolebindings"),
        ("", "namespaces"),
        ("", "serviceaccounts"),
        ("", "serviceaccounts/token"),
        ("", "namespaces/status"),
        ("", "namespaces/finalize"),
        ("", "resourcequotas/status"),
    ];

    private static List<V1PolicyRule> RulesOf(string role) => RbacBuilder.Roles[role].Rules.ToList();

    [Theory]
    [MemberData(nameof(TenantRoles))]
    public void No_tenant_role_can_write_network_policies_quotas_rbac_or_the_namespace(string role)
    {
        var rules = RulesOf(role);
        var grants = Fences
            .SelectMany(f => AllVerbs.Where(v => !ReadVerbs.Contains(v)).Select(v => (f.Group, f.Resource, Verb: v)))
            .Where(g => Allows(rules, g.Group, g.Resource, g.Verb))
            .ToList();
        grants.Should().BeEmpty($"role {role} must not be able to change what isolates the tenant");
    }

    [Theory]
    [MemberData(nameof(TenantRoles))]
    public void No_tenant_role_can_change_or_delete_existing_secrets(string role)
    {
        foreach (var verb in new[] { "update", "patch", "delete", "deletecollection" })
            Allows(RulesOf(role), "", "secrets", verb).Should().BeFalse($"{role} must not {verb} secrets");
    }

    [Theory]
    [MemberData(nameof(TenantRoles))]
    public void No_tenant_role_uses_wildcards(string role)
    {
        foreach (var rule in RulesOf(role))
        {
            rule.ApiGroups.Should().NotContain("*");
            rule.Resources.Should().NotContain(r => r.Contains('*'));
            rule.Verbs.Should().NotContain("*");
            rule.NonResourceURLs.Should().BeNullOrEmpty();
        }
    }

    [Theory]
    [MemberData(nameof(TenantRoles))]
    public void No_tenant_role_can_escalate_bind_or_impersonate(string role)
    {
        RulesOf(role).SelectMany(r => r.Verbs).Should().NotIntersectWith(["escalate", "bind", "impersonate"]);
    }

    [Theory]
    [MemberData(nameof(TenantRoles))]
    public void No_tenant_role_can_mint_tokens_or_impersonate_through_subresources(string role)
    {
        var rules = RulesOf(role);
        Allows(rules, "", "serviceaccounts/token", "create").Should().BeFalse();
        Allows(rules, "", "users", "impersonate").Should().BeFalse();
        Allows(rules, "", "serviceaccounts", "impersonate").Should().BeFalse();
        Allows(rules, "authentication.k8s.io", "tokenreviews", "create").Should().BeFalse();
    }

    [Fact]
    public void The_evaluator_matches_groups_resources_verbs_and_wildcards()
    {
        V1PolicyRule[] exact = [new() { ApiGroups = ["apps"], Resources = ["deployments"], Verbs = ["get"] }];
        Allows(exact, "apps", "deployments", "get").Should().BeTrue();
        Allows(exact, "", "deployments", "get").Should().BeFalse();
        Allows(exact, "apps", "statefulsets", "get").Should().BeFalse();
        Allows(exact, "apps", "deployments", "delete").Should().BeFalse();

        V1PolicyRule[] star = [new() { ApiGroups = ["*"], Resources = ["*"], Verbs = ["*"] }];
        Allows(star, "networking.k8s.io", "networkpolicies", "patch").Should().BeTrue();

        V1PolicyRule[] named = [new() { ApiGroups = [""], Resources = ["secrets"], Verbs = ["delete"], ResourceNames = ["demo-db"] }];
        Allows(named, "", "secrets", "delete").Should().BeTrue("a grant on some names is still a grant");
    }

    [Fact]
    public void Edit_can_create_deployments_and_read_pods()
    {
        var rules = RulesOf("edit");
        Allows(rules, "apps", "deployments", "create").Should().BeTrue();
        Allows(rules, "apps", "deployments", "update").Should().BeTrue();
        Allows(rules, "apps", "deployments", "delete").Should().BeTrue();
        foreach (var verb in ReadVerbs) Allows(rules, "", "pods", verb).Should().BeTrue();
        Allows(rules, "", "pods/log", "get").Should().BeTrue();
        Allows(rules, "", "pods/exec", "create").Should().BeTrue();
        Allows(rules, "", "secrets", "create").Should().BeTrue("a demo may add its own secrets");
        Allows(rules, "", "secrets", "get").Should().BeTrue();
    }

    [Fact]
    public void View_reads_workloads_but_writes_nothing_and_cannot_read_secrets()
    {
        var rules = RulesOf("view");
        Allows(rules, "apps", "deployments", "list").Should().BeTrue();
        Allows(rules, "", "pods", "get").Should().BeTrue();
        rules.SelectMany(r => r.Verbs).Distinct().Should().BeSubsetOf(ReadVerbs);
        Allows(rules, "", "secrets", "get").Should().BeFalse();
        Allows(rules, "", "secrets", "list").Should().BeFalse();
    }

    [Fact]
    public void Admin_can_read_who_has_access()
    {
        var rules = RulesOf("admin");
        Allows(rules, "rbac.authorization.k8s.io", "rolebindings", "list").Should().BeTrue();
        Allows(rules, "rbac.authorization.k8s.io", "roles", "get").Should().BeTrue();
    }

    [Fact]
    public void Roles_nest_view_within_edit_within_admin()
    {
        var probes = RulesOf("admin").Concat(RulesOf("edit")).Concat(RulesOf("view"))
            .SelectMany(r => r.ApiGroups.SelectMany(g => r.Resources.SelectMany(res => r.Verbs.Select(v => (g, res, v)))))
            .Distinct().ToList();
        foreach (var (g, res, v) in probes)
        {
            if (Allows(RulesOf("view"), g, res, v)) Allows(RulesOf("edit"), g, res, v).Should().BeTrue($"edit ⊇ view ({g}/{res} {v})");
            if (Allows(RulesOf("edit"), g, res, v)) Allows(RulesOf("admin"), g, res, v).Should().BeTrue($"admin ⊇ edit ({g}/{res} {v})");
        }
    }

    [Fact]
    public void Tenant_roles_are_cluster_roles_named_as_the_chart_ships_them()
    {
        var roles = RbacBuilder.BuildClusterRoles();
        roles.Select(r => r.Metadata.Name).Should().Equal("tenant-admin", "tenant-edit", "tenant-guest-token-issuer", "tenant-view");
        roles.Should().OnlyContain(r => r.ApiVersion == "rbac.authorization.k8s.io/v1" && r.Kind == "ClusterRole" && r.AggregationRule == null);
        roles.Should().OnlyContain(r => r.Metadata.Labels.Keys.All(k => !k.StartsWith("rbac.authorization.k8s.io/aggregate-to-", StringComparison.Ordinal)),
            "tenant roles are never folded into the built-in view, edit or admin");
    }

    [Fact]
    public void No_tenant_role_can_write_pod_disruption_budgets()
    {
        foreach (var role in new[] { "admin", "edit", "view" })
            foreach (var verb in AllVerbs.Where(v => !ReadVerbs.Contains(v)))
                Allows(RulesOf(role), "policy", "poddisruptionbudgets", verb).Should().BeFalse($"{role} must not {verb} PodDisruptionBudgets: one could block every node drain");
        Allows(RulesOf("view"), "policy", "poddisruptionbudgets", "list").Should().BeTrue();
    }

    [Fact]
    public void Workload_service_account_does_not_automount_a_token()
    {
        var sa = RbacBuilder.BuildServiceAccount(Tenants.Plan());
        sa.Metadata.Name.Should().Be(RbacBuilder.WorkloadServiceAccount);
        sa.Metadata.NamespaceProperty.Should().Be("demo-acme");
        sa.AutomountServiceAccountToken.Should().BeFalse();
    }
}
