using System.Text.Json;
using IsolationOperator.Api.V1Alpha1;
using IsolationOperator.Desired;
using IsolationOperator.Tests.Integration.Infrastructure;
using IsolationOperator.Verification;
using k8s;
using k8s.Models;

namespace IsolationOperator.Tests.Integration.Verification;

/// <summary>
/// Issue 13: the operator proves isolation by asking the API server as the demo's subjects, and names every path
/// someone else opens; it never deletes those. Subjects are unique per test so that other classes' tenants on the
/// shared plane are not this one's paths.
/// </summary>
public sealed class IsolationVerificationTests(ControlPlaneFixture fixture) : IClassFixture<ControlPlaneFixture>, IAsyncLifetime
{
    private static readonly TimeSpan Cycle = TimeSpan.FromSeconds(3);
    private OperatorUnderTest _operator = null!;
    private IKubernetes Admin => fixture.Plane.AdminClient();

    public async Task InitializeAsync() =>
        _operator = await OperatorUnderTest.StartAsync(fixture.Plane, UniqueName.For("verify"), o => o.VerificationPeriod = Cycle);

    public async Task DisposeAsync() => await _operator.DisposeAsync();

    private async Task<(DemoTenant Tenant, string Prospect)> VerifiedTenantAsync()
    {
        var prospect = UniqueName.For("prospect");
        var tenant = _operator.Own(Tenants.New(UniqueName.For("ver"), s => s.Access =
        [
            new AccessEntry { Kind = "Group", Name = prospect, Role = "edit" },
            new AccessEntry { Kind = "User", Name = UniqueName.For("se") + "@vendor.example", Role = "admin" },
        ]));
        await Tenants.CreateAsync(Admin, tenant);
        await Tenants.WaitForPhaseAsync(Admin, tenant.Metadata.Name, Phases.Ready);
        var verified = await VerificationAsync(tenant.Metadata.Name, "True");
        return (verified, prospect);
    }

    private Task<DemoTenant> VerificationAsync(string name, string status, string? mentioning = null) => Verifications.WaitAsync(Admin, name, status, mentioning);

    /// <summary>What an admin might do for a prospect "just to look around": a ClusterRoleBinding to view.</summary>
    private async Task<string> BindToViewEverywhereAsync(string group)
    {
        var name = UniqueName.For("prospect-view");
        await Admin.RbacAuthorizationV1.CreateClusterRoleBindingAsync(new V1ClusterRoleBinding
        {
            Metadata = new V1ObjectMeta { Name = name },
            RoleRef = new V1RoleRef { ApiGroup = "rbac.authorization.k8s.io", Kind = "ClusterRole", Name = "view" },
            Subjects = [new Rbacv1Subject { ApiGroup = "rbac.authorization.k8s.io", Kind = "Group", Name = group }],
        });
        return name;
    }

    [Fact]
    public async Task A_fresh_demo_verifies_True_with_the_full_matrix_asked()
    {
        var (tenant, _) = await VerifiedTenantAsync();

        var v = tenant.Status!.Verification!;
        v.ObservedGeneration.Should().Be(tenant.Metadata.Generation);
        v.Failed.Should().BeNullOrEmpty();
        v.Paths.Should().BeNullOrEmpty();
        // Three subjects (group, user, workload account), each with the cluster, fence, impersonation and promise checks.
        v.ChecksRun.Should().BeGreaterThanOrEqualTo(3 * 40);
        var message = Tenants.Condition(tenant, ConditionTypes.IsolationVerified)!.Message;
        message.Should().Contain("ingress from").And.Contain("egress to").And.Contain("share nodes", "node sharing is a stated limit, not hidden");
    }

    [Fact]
    public async Task A_sales_engineer_in_two_demos_leaves_both_verified_while_each_prospect_stays_out_of_the_other()
    {
        var se = UniqueName.For("se") + "@vendor.example";
        var demos = new List<DemoTenant>();
        foreach (var _ in new[] { 1, 2 })
        {
            var t = _operator.Own(Tenants.New(UniqueName.For("shared"), s => s.Access =
            [
                new AccessEntry { Kind = "Group", Name = UniqueName.For("prospect"), Role = "edit" },
                new AccessEntry { Kind = "User", Name = se, Role = "admin" },
            ]));
            await Tenants.CreateAsync(Admin, t);
            demos.Add(t);
        }
        foreach (var t in demos) await Tenants.WaitForPhaseAsync(Admin, t.Metadata.Name, Phases.Ready);

        foreach (var t in demos)
        {
            var v = (await VerificationAsync(t.Metadata.Name, "True")).Status!.Verification!;
            v.Paths.Should().BeNullOrEmpty("the engineer's binding in the other demo is that demo's own grant");
        }
        // The checks that ran still include each prospect against the other demo's namespace.
        var checks = IsolationChecks.For(
            TenantPlanner.Plan(demos[0], DateTimeOffset.UtcNow, PlannerPolicy.Default).Plan!, [demos[1].Spec.Namespace!],
            new DemoGrants(await Task.WhenAll(demos.Select(async d => (await Tenants.GetAsync(Admin, d.Metadata.Name))!))));
        checks.Should().Contain(c => c.Subject.Name.StartsWith("Group ", StringComparison.Ordinal) && c.Namespace == demos[1].Spec.Namespace && !c.Expected);
        checks.Should().NotContain(c => c.Subject.Name == $"User {se}" && c.Namespace == demos[1].Spec.Namespace);
    }

    [Fact]
    public async Task A_cluster_role_binding_of_the_prospects_group_to_view_breaks_it_and_its_removal_restores_it()
    {
        // Another demo of this operator, so that the sample of other demos' namespaces is not empty.
        var other = _operator.Own(Tenants.New(UniqueName.For("neighbour")));
        await Tenants.CreateAsync(Admin, other);
        var otherNs = (await Tenants.WaitForPhaseAsync(Admin, other.Metadata.Name, Phases.Ready)).Status!.Namespace!;
        var (tenant, prospect) = await VerifiedTenantAsync();
        var name = await BindToViewEverywhereAsync(prospect);
        try
        {
            var broken = await VerificationAsync(tenant.Metadata.Name, "False", name);
            var v = broken.Status!.Verification!;
            v.Paths.Should().ContainSingle(p => p.Kind == "ClusterRoleBinding" && p.Name == name).Which.Opens.Should().Contain("in every namespace");
            // The sample is the first few managed namespaces by name (the neighbour guarantees there is one).
            v.Failed.Should().Contain(f => f.StartsWith($"Group {prospect} can list pods in demo-", StringComparison.Ordinal), "view reaches other demos' pods");
            otherNs.Should().StartWith("demo-");
            await Tenants.EventsOnceAsync(Admin, tenant.Metadata.Name, e => e.Reason == "IsolationBroken" && e.Type == "Warning",
                "an IsolationBroken warning: a change of the result is an event");
        }
        finally
        {
            await Admin.RbacAuthorizationV1.DeleteClusterRoleBindingAsync(name);
        }

        await VerificationAsync(tenant.Metadata.Name, "True");
        (await Admin.RbacAuthorizationV1.ListClusterRoleBindingAsync()).Items.Should().NotContain(b => b.Metadata.Name == name);
    }

    [Fact]
    public async Task A_role_binding_in_another_demos_namespace_for_this_prospect_is_named_and_left_alone()
    {
        var (tenant, prospect) = await VerifiedTenantAsync();
        var other = _operator.Own(Tenants.New(UniqueName.For("other")));
        await Tenants.CreateAsync(Admin, other);
        var otherNs = (await Tenants.WaitForPhaseAsync(Admin, other.Metadata.Name, Phases.Ready)).Status!.Namespace!;
        var name = UniqueName.For("guest");
        await Admin.RbacAuthorizationV1.CreateNamespacedRoleBindingAsync(new V1RoleBinding
        {
            Metadata = new V1ObjectMeta { Name = name },
            RoleRef = new V1RoleRef { ApiGroup = "rbac.authorization.k8s.io", Kind = "ClusterRole", Name = "tenant-view" },
            Subjects = [new Rbacv1Subject { ApiGroup = "rbac.authorization.k8s.io", Kind = "Group", Name = prospect }],
        }, otherNs);

        var broken = await VerificationAsync(tenant.Metadata.Name, "False", name);

        broken.Status!.Verification!.Paths.Should().Contain(p => p.Kind == "RoleBinding" && p.Namespace == otherNs && p.Name == name && p.ChangedBy != null);
        (await Admin.RbacAuthorizationV1.ReadNamespacedRoleBindingAsync(name, otherNs)).Should().NotBeNull("a failed check never deletes someone else's object");
    }

    [Fact]
    public async Task An_allow_all_network_policy_an_admin_added_breaks_it_until_removed()
    {
        var (tenant, _) = await VerifiedTenantAsync();
        var ns = tenant.Status!.Namespace!;
        await Admin.NetworkingV1.CreateNamespacedNetworkPolicyAsync(new V1NetworkPolicy
        {
            Metadata = new V1ObjectMeta { Name = "let-everyone-in" },
            Spec = new V1NetworkPolicySpec { PodSelector = new V1LabelSelector(), PolicyTypes = ["Ingress"], Ingress = [new V1NetworkPolicyIngressRule()] },
        }, ns);

        var broken = await VerificationAsync(tenant.Metadata.Name, "False", "let-everyone-in");
        broken.Status!.Verification!.Paths.Should().ContainSingle(p => p.Name == "let-everyone-in").Which.Opens.Should().Contain("ingress from anywhere");

        await Admin.NetworkingV1.DeleteNamespacedNetworkPolicyAsync("let-everyone-in", ns);
        await VerificationAsync(tenant.Metadata.Name, "True");
    }

    [Fact]
    public async Task The_command_line_prints_the_same_result_and_exits_non_zero_while_it_is_broken()
    {
        var (tenant, prospect) = await VerifiedTenantAsync();
        var kubeconfig = fixture.Plane.KubeconfigPath;

        var ok = await OperatorProcess.RunCommandAsync(kubeconfig, "verify", tenant.Metadata.Name);
        ok.ExitCode.Should().Be(0, ok.Stdout + ok.Stderr);
        ok.Stdout.Should().Contain("TENANT").And.Contain(tenant.Metadata.Name).And.Contain("verified");

        var name = await BindToViewEverywhereAsync(prospect);
        try
        {
            var broken = await OperatorProcess.RunCommandAsync(kubeconfig, "verify", tenant.Metadata.Name, "--json");
            broken.ExitCode.Should().Be(1, broken.Stdout + broken.Stderr);
            var rows = JsonDocument.Parse(broken.Stdout).RootElement;
            rows[0].GetProperty("result").GetString().Should().Be("BROKEN");
            rows[0].GetProperty("paths").EnumerateArray().Select(p => p.GetProperty("name").GetString()).Should().Contain(name);
            (await VerificationAsync(tenant.Metadata.Name, "False", name)).Should().NotBeNull("the operator says the same");
        }
        finally
        {
            await Admin.RbacAuthorizationV1.DeleteClusterRoleBindingAsync(name);
        }

        (await OperatorProcess.RunCommandAsync(kubeconfig, "verify", "no-such-demo")).ExitCode.Should().Be(2);
    }

    [LocalPlaneFact]
    public async Task Verifying_demos_costs_what_the_readme_budgets_counted_from_the_audit_log()
    {
        // An operator of its own, so that the audit log's requests are this cycle's only.
        var since = DateTimeOffset.UtcNow.AddSeconds(-1);
        await using var op = await OperatorUnderTest.StartAsync(fixture.Plane, UniqueName.For("budget"), o => o.VerificationPeriod = TimeSpan.FromHours(1));
        const int demos = 8;
        var names = new List<string>();
        for (var i = 0; i < demos; i++)
        {
            var t = op.Own(Tenants.New(UniqueName.For("budget"), s => s.Access =
            [
                new AccessEntry { Kind = "Group", Name = UniqueName.For("p"), Role = "edit" },
                new AccessEntry { Kind = "User", Name = UniqueName.For("se"), Role = "admin" },
            ]));
            await Tenants.CreateAsync(Admin, t);
            names.Add(t.Metadata.Name);
        }
        foreach (var n in names) await VerificationAsync(n, "True");
        var elapsed = DateTimeOffset.UtcNow - since;

        var requests = AuditLog.Read(fixture.Plane.AuditLogPath!, op.User, since);
        var reviews = requests.Count(r => r.Resource == "subjectaccessreviews" && r.Verb == "create");
        var lists = requests.Count(r => r.Resource == "clusterrolebindings" && r.Verb == "list");
        // Three subjects each (group, user, workload account), at most 64 checks each, once per demo in the hour.
        reviews.Should().BeInRange(demos * 3 * 41, demos * 3 * 64, "each demo is verified once, with the whole matrix");
        lists.Should().BeLessThanOrEqualTo((int)(elapsed / IsolationVerifier.SnapshotLife) + 1, "the lists are shared for 30 s");
        (reviews / (double)demos * 200).Should().BeLessThanOrEqualTo(40_000, "README: about 37,000 reviews an hour for 200 demos with two subjects");
    }

    [Fact]
    public void The_matrix_covers_every_subject_and_the_other_demos_sample()
    {
        var plan = TenantPlanner.Plan(Tenants.New("matrix", s => s.Access = [new AccessEntry { Kind = "Group", Name = "g", Role = "view" }]), DateTimeOffset.UtcNow, PlannerPolicy.Default).Plan!;
        var checks = IsolationChecks.For(plan, ["demo-a", "demo-b"]);
        checks.Select(c => c.Subject.Name).Distinct().Should().HaveCount(2);
        checks.Should().Contain(c => c.Namespace == "demo-b" && c.Resource == "secrets" && !c.Expected);
        checks.Should().Contain(c => c.Id == "promise:pods:list" && c.Expected);
    }
}
