using IsolationOperator.Api.V1Alpha1;
using IsolationOperator.Desired;
using IsolationOperator.Tests.Unit.Support;

namespace IsolationOperator.Tests.Unit.Desired;

/// <summary>A demo gets a namespace set aside for demos, never one the platform runs or may want.</summary>
public class NamespaceSquattingTests
{
    private static PlanResult PlanWith(PlannerPolicy policy, Action<DemoTenantSpec>? spec = null, string name = "acme") =>
        TenantPlanner.Plan(Tenants.New(name, spec), Tenants.Now, policy);

    [Fact]
    public void Namespace_monitoring_is_refused_as_a_platform_namespace()
    {
        Tenants.Problems(s => s.Namespace = "monitoring").Should().ContainSingle().Which.Should()
            .Contain("spec.namespace \"monitoring\"").And.Contain("platform namespace")
            .And.Contain("must start with \"demo-\"").And.Contain("\"demo-acme\"");
    }

    [Theory]
    [InlineData("acme-poc")]
    [InlineData("payments")]
    [InlineData("demoacme")]
    public void Namespace_without_the_prefix_is_refused_with_a_message_naming_the_prefix(string ns)
    {
        Tenants.Problems(s => s.Namespace = ns).Should().ContainSingle().Which.Should()
            .Be($"spec.namespace \"{ns}\" must start with \"demo-\", such as \"demo-acme\": demos only get namespaces " +
                "set aside for them, never one the platform uses or may use later");
    }

    [Theory]
    [InlineData("cert-manager")]
    [InlineData("ingress-nginx")]
    [InlineData("istio-system")]
    [InlineData("argocd")]
    [InlineData("flux-system")]
    [InlineData("isolation-system")]
    public void Well_known_platform_namespaces_are_refused(string ns)
    {
        Tenants.Problems(s => s.Namespace = ns).Should().ContainSingle().Which.Should().Contain("platform namespace");
    }

    [Fact]
    public void A_prefixed_namespace_on_the_deny_list_is_refused_without_suggesting_the_prefix()
    {
        var policy = PlannerPolicy.Default with { ReservedNamespaces = [.. PlannerPolicy.BuiltInReservedNamespaces, "demo-shared"] };

        PlanWith(policy, s => s.Namespace = "demo-shared").Problems.Should().ContainSingle().Which.Should()
            .Be("spec.namespace \"demo-shared\" is a platform namespace and cannot host a demo; choose another name");
    }

    [Fact]
    public void A_reserved_default_namespace_asks_for_spec_namespace()
    {
        var policy = PlannerPolicy.Default with { ReservedNamespaces = ["demo-shared"] };

        PlanWith(policy, name: "shared").Problems.Should().ContainSingle().Which.Should()
            .Contain("the default namespace name \"demo-shared\"").And.Contain("set spec.namespace");
    }

    [Fact]
    public void Kube_prefixed_namespaces_stay_refused_whatever_the_deny_list()
    {
        var policy = PlannerPolicy.Default with { NamespacePrefix = "", ReservedNamespaces = [] };

        PlanWith(policy, s => s.Namespace = "kube-anything").Problems.Should().ContainSingle().Which.Should().Contain("platform namespace");
        PlanWith(policy, s => s.Namespace = "anything").Problems.Should().BeEmpty("an empty prefix leaves only the deny-list");
    }

    [Fact]
    public void A_custom_prefix_names_the_default_namespace_and_is_required()
    {
        var policy = PlannerPolicy.Default with { NamespacePrefix = "poc-" };

        PlanWith(policy).Plan!.Namespace.Should().Be("poc-acme");
        TenantPlanner.NamespaceFor(Tenants.New(), policy).Should().Be("poc-acme");
        PlanWith(policy, s => s.Namespace = "demo-acme").Problems.Should().ContainSingle().Which.Should()
            .Contain("must start with \"poc-\", such as \"poc-acme\"");
    }

    [Fact]
    public void The_default_policy_is_what_the_two_argument_overloads_use()
    {
        TenantPlanner.NamespaceFor(Tenants.New()).Should().Be("demo-acme");
        PlannerPolicy.Default.NamespacePrefix.Should().Be("demo-");
        PlannerPolicy.Default.ReservedNamespaces.Should().Contain(["default", "kube-system", "monitoring", "cert-manager", "isolation-system"]);
        PlannerPolicy.Default.AllowedSystemSubjects.Should().BeEmpty();
    }

    [Fact]
    public void A_namespace_provisioned_before_the_prefix_rule_keeps_working()
    {
        // Refusing it would freeze a live demo: a refused plan means no expiry, no suspension and no clean-up.
        var tenant = Tenants.New(spec: s => s.Namespace = "acme-poc");
        tenant.Status = new DemoTenantStatus { Namespace = "acme-poc" };

        TenantPlanner.Plan(tenant, Tenants.Now).Problems.Should().BeEmpty();
    }

    [Fact]
    public void A_provisioned_namespace_does_not_excuse_a_different_unprefixed_one()
    {
        var tenant = Tenants.New(spec: s => s.Namespace = "acme-other");
        tenant.Status = new DemoTenantStatus { Namespace = "acme-poc" };

        TenantPlanner.Plan(tenant, Tenants.Now).Problems.Should().HaveCount(2)
            .And.Contain(p => p.Contains("must start with \"demo-\""))
            .And.Contain(p => p.Contains("cannot change once provisioned"));
    }
}
