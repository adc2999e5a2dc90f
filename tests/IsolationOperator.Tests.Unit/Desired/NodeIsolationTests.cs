using IsolationOperator.Api.V1Alpha1;
using IsolationOperator.Desired;
using IsolationOperator.Tests.Unit.Support;
using k8s.Models;

namespace IsolationOperator.Tests.Unit.Desired;

public class NodeIsolationTests
{
    private static void Isolate(DemoTenantSpec s, IDictionary<string, string>? selector = null, IList<V1Toleration>? tolerations = null) =>
        s.Isolation = new IsolationSpec { Nodes = new NodeIsolationSpec { Selector = selector, Tolerations = tolerations } };

    [Fact]
    public void Namespace_of_an_isolated_tenant_carries_the_PodNodeSelector_and_PodTolerationRestriction_annotations()
    {
        var plan = Tenants.Plan(s => Isolate(s,
            new Dictionary<string, string> { ["tier"] = "demo", ["example.com/pool"] = "acme" },
            [new V1Toleration { Key = "dedicated", OperatorProperty = "Equal", Value = "acme", Effect = "NoSchedule" }]));

        var annotations = NamespaceBuilder.Build(plan, "alice", "ACME").Metadata.Annotations;

        annotations[NodeIsolation.NodeSelectorAnnotation].Should().Be("example.com/pool=acme,tier=demo");
        annotations[NodeIsolation.DefaultTolerationsAnnotation].Should().Be("""[{"effect":"NoSchedule","key":"dedicated","operator":"Equal","value":"acme"}]""");
        annotations[NodeIsolation.TolerationsWhitelistAnnotation].Should().Be(
            """[{"effect":"NoSchedule","key":"dedicated","operator":"Equal","value":"acme"},""" +
            """{"effect":"NoExecute","key":"node.kubernetes.io/not-ready","operator":"Exists"},""" +
            """{"effect":"NoExecute","key":"node.kubernetes.io/unreachable","operator":"Exists"}]""",
            "DefaultTolerationSeconds adds these two to every pod; a whitelist without them would refuse every pod");
    }

    [Fact]
    public void Namespace_without_isolation_has_no_scheduling_annotations()
    {
        NamespaceBuilder.Build(Tenants.Plan(), "alice", "ACME").Metadata.Annotations.Keys
            .Should().NotContain(k => k.StartsWith("scheduler.alpha.kubernetes.io/", StringComparison.Ordinal));
    }

    [Fact]
    public void Selector_without_tolerations_writes_no_toleration_whitelist_since_an_empty_one_means_no_limit()
    {
        var plan = Tenants.Plan(s => Isolate(s, new Dictionary<string, string> { ["tier"] = "demo" }));

        var annotations = NamespaceBuilder.Build(plan, "alice", "ACME").Metadata.Annotations;

        annotations.Should().ContainKey(NodeIsolation.NodeSelectorAnnotation).And.NotContainKey(NodeIsolation.TolerationsWhitelistAnnotation);
    }

    [Fact]
    public void Plan_carries_the_isolation_of_the_spec()
    {
        var plan = Tenants.Plan(s =>
        {
            Isolate(s, new Dictionary<string, string> { ["tier"] = "demo" }, [new V1Toleration { Key = "dedicated", OperatorProperty = "Exists" }]);
            s.Isolation!.RuntimeClassName = "gvisor";
        });

        plan.NodeSelector.Should().Equal(new Dictionary<string, string> { ["tier"] = "demo" });
        plan.Tolerations.Should().ContainSingle().Which.Key.Should().Be("dedicated");
        plan.RuntimeClassName.Should().Be("gvisor");
    }

    [Theory]
    [InlineData("bad key!", "demo", "\"bad key!\" is not a node label key")]
    [InlineData("tier", "not a value", "is not a label value")]
    public void Malformed_node_selector_is_a_spec_problem(string key, string value, string problem)
    {
        Tenants.Problems(s => Isolate(s, new Dictionary<string, string> { [key] = value })).Should().Contain(p => p.Contains(problem));
    }

    [Fact]
    public void Malformed_tolerations_are_spec_problems()
    {
        var problems = Tenants.Problems(s => Isolate(s, tolerations:
        [
            new V1Toleration { OperatorProperty = "Equal", Value = "x" },
            new V1Toleration { Key = "a", OperatorProperty = "Exists", Value = "x" },
            new V1Toleration { Key = "b", Effect = "NoSchedule", TolerationSeconds = 10 },
        ]));

        problems.Should().Contain(p => p.Contains("a toleration without a key must use operator: Exists"))
            .And.Contain(p => p.Contains("operator Exists takes no value"))
            .And.Contain(p => p.Contains("tolerationSeconds applies only to effect NoExecute"));
    }
}
