using IsolationOperator.Desired;
using k8s.Models;

namespace IsolationOperator.Tests.Unit.Desired;

public class TenantLabelsTests
{
    [Fact]
    public void Meta_carries_both_ownership_labels()
    {
        var meta = TenantLabels.Meta("acme", "thing", "demo-acme");
        meta.Name.Should().Be("thing");
        meta.NamespaceProperty.Should().Be("demo-acme");
        meta.Labels.Should().Equal(new Dictionary<string, string>
        {
            ["app.kubernetes.io/managed-by"] = "isolation-operator",
            ["isolation.demo.dev/tenant"] = "acme",
        });
        TenantLabels.ManagedSelector.Should().Be("app.kubernetes.io/managed-by=isolation-operator");
    }

    [Fact]
    public void Tenant_is_known_only_from_both_labels()
    {
        TenantLabels.TenantOf(TenantLabels.Meta("acme", "x")).Should().Be("acme");
        TenantLabels.TenantOf(null).Should().BeNull();
        TenantLabels.TenantOf(new V1ObjectMeta()).Should().BeNull();
        TenantLabels.TenantOf(new V1ObjectMeta { Labels = new Dictionary<string, string> { [TenantLabels.Tenant] = "acme" } })
            .Should().BeNull("someone else's object that merely names a tenant is not ours");
        TenantLabels.TenantOf(new V1ObjectMeta
        {
            Labels = new Dictionary<string, string> { [TenantLabels.Tenant] = "acme", [TenantLabels.ManagedBy] = "helm" },
        }).Should().BeNull();
    }

    [Fact]
    public void Each_call_returns_a_fresh_label_set()
    {
        var a = TenantLabels.For("acme");
        a["extra"] = "x";
        TenantLabels.For("acme").Should().NotContainKey("extra");
    }
}
