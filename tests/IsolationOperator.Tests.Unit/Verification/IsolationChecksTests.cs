using IsolationOperator.Api.V1Alpha1;
using IsolationOperator.Desired;
using IsolationOperator.Tests.Unit.Support;
using IsolationOperator.Verification;
using k8s.Models;

namespace IsolationOperator.Tests.Unit.Verification;

/// <summary>The verifier's pure parts: the access matrix and the paths found in listed objects.</summary>
public class IsolationChecksTests
{
    private static TenantPlan Plan(Action<DemoTenantSpec>? spec = null) => Tenants.Plan(s =>
    {
        s.Access = [Tenants.Access("Group", "prospect-acme", "edit"), Tenants.Access("User", "se@vendor.example", "admin")];
        spec?.Invoke(s);
    });

    private static readonly string[] Others = ["demo-a", "demo-b", "demo-c", "demo-d", "demo-e"];

    [Fact]
    public void Every_subject_and_the_workload_account_get_the_whole_matrix_as_the_readme_counts_it()
    {
        var checks = IsolationChecks.For(Plan(), Others);

        var perSubject = checks.GroupBy(c => c.Subject.Name).ToDictionary(g => g.Key, g => g.Count());
        perSubject.Keys.Should().BeEquivalentTo("Group prospect-acme", "User se@vendor.example", "ServiceAccount demo-acme/demo-workload");
        // 61 negative checks (42 + 4 in each of 5 sampled namespaces), plus the role's promises: view 1, edit 3, admin 4.
        perSubject["ServiceAccount demo-acme/demo-workload"].Should().Be(62);
        perSubject["Group prospect-acme"].Should().Be(64);
        perSubject["User se@vendor.example"].Should().Be(65);
    }

    [Fact]
    public void A_guest_is_probed_as_its_account_and_the_admin_is_promised_its_token_but_never_the_workloads()
    {
        var checks = IsolationChecks.For(Plan(s => s.Access = [.. s.Access!, Tenants.Access("Guest", "jane", "view")]), Others);

        var guest = checks.Where(c => c.Subject.Name.StartsWith("Guest jane")).ToList();
        guest.Should().NotBeEmpty();
        guest[0].Subject.User.Should().Be("system:serviceaccount:demo-acme:guest-1");
        guest.Should().Contain(c => c.Id == "other-tenant:pods:list" && !c.Expected, "a guest is probed in other demos like anyone");
        var admin = checks.Where(c => c.Subject.Name == "User se@vendor.example").ToList();
        admin.Should().ContainSingle(c => c.Id == "promise:guest-token:create").Which.Name.Should().Be("guest-1");
        checks.Where(c => c.Id == "tenant:workload-token:create").Should().OnlyContain(c => !c.Expected && c.Name == "demo-workload")
            .And.HaveCount(4, "every subject, the guest included, is refused a token for the workload account");
    }

    [Fact]
    public void A_sales_engineer_named_in_another_demo_is_not_probed_there_but_the_prospect_still_is()
    {
        var other = Tenants.New("globex", s => s.Access = [Tenants.Access("User", "se@vendor.example", "admin"), Tenants.Access("Group", "prospect-globex", "edit")]);
        other.Status = new DemoTenantStatus { Namespace = "demo-a" };
        var grants = new DemoGrants([other]);

        var checks = IsolationChecks.For(Plan(), Others, grants);

        checks.Should().NotContain(c => c.Subject.Name == "User se@vendor.example" && c.Namespace == "demo-a", "demo globex grants that engineer itself");
        checks.Should().Contain(c => c.Subject.Name == "User se@vendor.example" && c.Namespace == "demo-b" && !c.Expected);
        checks.Should().Contain(c => c.Subject.Name == "Group prospect-acme" && c.Namespace == "demo-a" && !c.Expected, "this demo's prospect has no business in globex's namespace");

        var theirs = RbacBuilder.BuildBindings(Tenants.Plan(s => s.Access = other.Spec.Access, name: "globex") with { Namespace = "demo-a" });
        IsolationPaths.Find("acme", Plan(), null, [], theirs, [], grants).Should().BeEmpty("the operator's binding for globex is globex's grant");
        IsolationPaths.Find("acme", Plan(), null, [], theirs, []).Should().Contain(p => p.Namespace == "demo-a", "without knowing globex's spec it is a path");
    }

    [Fact]
    public void A_group_is_asked_through_a_probe_user_and_the_workload_with_its_service_account_groups()
    {
        var subjects = IsolationChecks.Subjects(Plan());
        subjects.Single(s => s.Name.StartsWith("Group")).Should().BeEquivalentTo(new VerifiedSubject("Group prospect-acme", IsolationChecks.GroupProbeUser, ["prospect-acme", "system:authenticated"], "edit"));
        subjects.Single(s => s.Name.StartsWith("ServiceAccount")).Groups.Should().Contain("system:serviceaccounts:demo-acme");
    }

    [Fact]
    public void Nothing_is_asked_of_people_while_suspended_and_the_sample_is_stable()
    {
        IsolationChecks.For(Plan(s => s.Suspended = true), Others).Should().BeEmpty();
        IsolationChecks.Sample(["demo-z", "demo-acme", "demo-b", "demo-a", "demo-y", "demo-c", "demo-d"], "demo-acme")
            .Should().Equal("demo-a", "demo-b", "demo-c", "demo-d", "demo-y");
    }

    [Fact]
    public void Paths_name_bindings_of_this_demos_subjects_elsewhere_and_foreign_objects_in_its_namespace()
    {
        var plan = Plan();
        var crb = new V1ClusterRoleBinding
        {
            Metadata = new V1ObjectMeta { Name = "prospect-view", ManagedFields = [new V1ManagedFieldsEntry { Manager = "kubectl-create", Time = DateTime.UtcNow }] },
            RoleRef = new V1RoleRef { Kind = "ClusterRole", Name = "view" },
            Subjects = [new Rbacv1Subject { Kind = "Group", Name = "prospect-acme" }],
        };
        var everyone = new V1ClusterRoleBinding
        {
            Metadata = new V1ObjectMeta { Name = "discovery" }, RoleRef = new V1RoleRef { Kind = "ClusterRole", Name = "system:discovery" },
            Subjects = [new Rbacv1Subject { Kind = "Group", Name = "system:authenticated" }],
        };
        var ours = RbacBuilder.BuildBindings(plan);
        var elsewhere = new V1RoleBinding
        {
            Metadata = new V1ObjectMeta { Name = "guest", NamespaceProperty = "demo-other" }, RoleRef = new V1RoleRef { Kind = "ClusterRole", Name = "tenant-view" },
            Subjects = [new Rbacv1Subject { Kind = "User", Name = "se@vendor.example" }],
        };
        var foreignHere = new V1RoleBinding
        {
            Metadata = new V1ObjectMeta { Name = "helper", NamespaceProperty = "demo-acme" }, RoleRef = new V1RoleRef { Kind = "ClusterRole", Name = "edit" },
            Subjects = [new Rbacv1Subject { Kind = "User", Name = "contractor" }],
        };
        var openPolicy = new V1NetworkPolicy
        {
            Metadata = new V1ObjectMeta { Name = "allow-all", NamespaceProperty = "demo-acme" },
            Spec = new V1NetworkPolicySpec { PodSelector = new V1LabelSelector(), Ingress = [new V1NetworkPolicyIngressRule()] },
        };
        var admitsUs = new V1NetworkPolicy
        {
            Metadata = new V1ObjectMeta { Name = "from-acme", NamespaceProperty = "demo-other" },
            Spec = new V1NetworkPolicySpec
            {
                PodSelector = new V1LabelSelector(),
                Ingress = [new V1NetworkPolicyIngressRule { FromProperty = [new V1NetworkPolicyPeer { NamespaceSelector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["team"] = "acme" } } }] }],
            },
        };

        var paths = IsolationPaths.Find("acme", plan, new Dictionary<string, string> { ["team"] = "acme" }, [crb, everyone],
            [.. ours, elsewhere, foreignHere], [.. NetworkPolicyBuilder.Build(plan), openPolicy, admitsUs]);

        paths.Select(p => $"{p.Kind} {p.Namespace}/{p.Name}").Should().BeEquivalentTo(
            "ClusterRoleBinding /prospect-view", "RoleBinding demo-other/guest", "RoleBinding demo-acme/helper",
            "NetworkPolicy demo-acme/allow-all", "NetworkPolicy demo-other/from-acme");
        paths.Single(p => p.Name == "prospect-view").ChangedBy.Should().Be("kubectl-create");
        paths.Single(p => p.Name == "allow-all").Opens.Should().Contain("ingress from anywhere");
    }
}
