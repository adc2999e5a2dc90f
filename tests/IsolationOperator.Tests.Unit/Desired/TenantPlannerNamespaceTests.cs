using IsolationOperator.Api.V1Alpha1;
using IsolationOperator.Desired;
using IsolationOperator.Tests.Unit.Support;

namespace IsolationOperator.Tests.Unit.Desired;

public class TenantPlannerNamespaceTests
{
    [Fact]
    public void Namespace_defaults_to_demo_and_the_tenant_name()
    {
        Tenants.Plan().Namespace.Should().Be("demo-acme");
        Tenants.Plan(s => s.Namespace = "").Namespace.Should().Be("demo-acme");
    }

    [Fact]
    public void Spec_namespace_is_used_when_set()
    {
        Tenants.Plan(s => s.Namespace = "demo-acme-poc").Namespace.Should().Be("demo-acme-poc");
    }

    [Theory]
    [InlineData("Acme")]
    [InlineData("acme_poc")]
    [InlineData("-acme")]
    [InlineData("acme-")]
    [InlineData("acme.poc")]
    public void Invalid_namespace_names_are_readable_problems(string ns)
    {
        Tenants.Problems(s => s.Namespace = ns).Should().ContainSingle()
            .Which.Should().Contain("spec.namespace").And.Contain($"\"{ns}\"").And.Contain("not a valid namespace name");
    }

    [Fact]
    public void Namespace_longer_than_63_characters_is_refused()
    {
        Tenants.Problems(s => s.Namespace = new string('a', 64)).Should().ContainSingle()
            .Which.Should().Contain("spec.namespace").And.Contain("not a valid namespace name");
    }

    [Fact]
    public void Namespace_with_a_trailing_newline_is_not_valid()
    {
        // .NET's '$' also matches before a final "\n"; a namespace name may not contain one.
        Tenants.Problems(s => s.Namespace = "demo-acme\n").Should().ContainSingle()
            .Which.Should().Contain("not a valid namespace name");
    }

    [Fact]
    public void Too_long_default_namespace_asks_for_a_shorter_spec_namespace()
    {
        var name = new string('a', 60);
        Tenants.Problems(_ => { }, name).Should().ContainSingle()
            .Which.Should().Contain($"demo-{name}").And.Contain("63").And.Contain("set spec.namespace to a shorter name");
    }

    [Fact]
    public void Default_namespace_from_a_dotted_name_is_explained_without_blaming_length()
    {
        // Cluster-scoped object names may contain dots; demo-acme.corp is short but not a valid namespace name.
        var problem = Tenants.Problems(_ => { }, "acme.corp").Should().ContainSingle().Subject;
        problem.Should().Contain("demo-acme.corp").And.Contain("spec.namespace");
        problem.Should().NotContain("longer than 63", "the name is 14 characters long; the dot is what makes it invalid");
    }

    [Theory]
    [InlineData("default")]
    [InlineData("kube-system")]
    [InlineData("kube-public")]
    [InlineData("kube-node-lease")]
    [InlineData("kube-anything")]
    public void System_namespaces_cannot_host_a_demo(string ns)
    {
        Tenants.Problems(s => s.Namespace = ns).Should().ContainSingle()
            .Which.Should().Contain($"spec.namespace \"{ns}\"").And.Contain("platform namespace");
    }

    [Fact]
    public void Namespace_change_after_provisioning_is_refused()
    {
        var tenant = Tenants.New(spec: s => s.Namespace = "demo-acme-other");
        tenant.Status = new DemoTenantStatus { Namespace = "demo-acme" };

        var result = TenantPlanner.Plan(tenant, Tenants.Now);

        result.Plan.Should().BeNull();
        result.Problems.Should().ContainSingle().Which.Should()
            .Contain("spec.namespace cannot change once provisioned")
            .And.Contain("\"demo-acme\"")
            .And.Contain("set it back")
            .And.Contain("create a new DemoTenant for \"demo-acme-other\"");
    }

    [Fact]
    public void Removing_a_namespace_that_equals_the_default_is_no_change()
    {
        var tenant = Tenants.New();
        tenant.Status = new DemoTenantStatus { Namespace = "demo-acme" };
        TenantPlanner.Plan(tenant, Tenants.Now).Problems.Should().BeEmpty();
    }

    [Fact]
    public void Unprovisioned_tenant_may_still_pick_its_namespace()
    {
        var tenant = Tenants.New(spec: s => s.Namespace = "demo-acme-other");
        tenant.Status = new DemoTenantStatus { Phase = Phases.Failed };
        TenantPlanner.Plan(tenant, Tenants.Now).Problems.Should().BeEmpty();
    }
}
