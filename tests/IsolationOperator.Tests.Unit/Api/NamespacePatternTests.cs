using System.Text.Json.Nodes;
using IsolationOperator.Desired;
using IsolationOperator.Tests.Unit.Support;
using YamlDotNet.RepresentationModel;

namespace IsolationOperator.Tests.Unit.Api;

/// <summary>The API server refuses a squatting spec.namespace before the operator ever sees it.</summary>
public class NamespacePatternTests
{
    private static readonly YamlMappingNode Spec =
        (YamlMappingNode)CrdSchema.Root(CrdSchema.Load()).At("properties.spec");

    private static List<string> Validate(string ns) =>
        CrdSchema.Validate(JsonNode.Parse($$"""{"prospect": "P", "owner": "o", "namespace": "{{ns}}"}"""), Spec, "spec");

    [Theory]
    [InlineData("monitoring")]
    [InlineData("kube-system")]
    [InlineData("default")]
    [InlineData("demo-")]
    [InlineData("demo")]
    [InlineData("demo-Acme")]
    [InlineData("demo-acme-")]
    [InlineData("xdemo-acme")]
    public void Namespace_pattern_refuses_names_without_the_demo_prefix(string ns)
    {
        Validate(ns).Should().ContainSingle().Which.Should().Contain("does not match");
    }

    [Theory]
    [InlineData("demo-acme")]
    [InlineData("demo-a")]
    [InlineData("demo-acme-poc-2")]
    public void Namespace_pattern_accepts_prefixed_names(string ns)
    {
        Validate(ns).Should().BeEmpty();
    }

    [Fact]
    public void Namespace_description_tells_a_platform_to_change_the_pattern_with_the_prefix()
    {
        ((YamlMappingNode)Spec.At("properties.namespace")).Scalar("description")
            .Should().Contain(PlannerPolicy.Default.NamespacePrefix).And.Contain("Operator__NamespacePrefix");
    }
}
