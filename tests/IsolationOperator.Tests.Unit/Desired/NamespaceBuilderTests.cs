using IsolationOperator.Desired;
using IsolationOperator.Tests.Unit.Support;

namespace IsolationOperator.Tests.Unit.Desired;

public class NamespaceBuilderTests
{
    [Fact]
    public void Namespace_enforces_the_restricted_pod_security_standard()
    {
        var ns = NamespaceBuilder.Build(Tenants.Plan(), "alice@vendor.example", "ACME Corp");

        foreach (var mode in new[] { "enforce", "audit", "warn" })
        {
            ns.Metadata.Labels[$"pod-security.kubernetes.io/{mode}"].Should().Be("restricted");
            ns.Metadata.Labels[$"pod-security.kubernetes.io/{mode}-version"].Should().Be("latest");
        }
    }

    [Fact]
    public void Namespace_is_named_labelled_and_annotated_for_its_tenant()
    {
        var ns = NamespaceBuilder.Build(Tenants.Plan(), "alice@vendor.example", "ACME Corp");

        ns.ApiVersion.Should().Be("v1");
        ns.Kind.Should().Be("Namespace");
        ns.Metadata.Name.Should().Be("demo-acme");
        ns.Metadata.NamespaceProperty.Should().BeNull("a namespace is cluster-scoped");
        TenantLabels.TenantOf(ns.Metadata).Should().Be("acme");
        ns.Metadata.Annotations.Should().Equal(new Dictionary<string, string>
        {
            [NamespaceBuilder.OwnerAnnotation] = "alice@vendor.example",
            [NamespaceBuilder.ProspectAnnotation] = "ACME Corp",
        });
    }
}
