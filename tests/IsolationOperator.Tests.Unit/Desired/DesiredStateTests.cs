using IsolationOperator.Api.V1Alpha1;
using IsolationOperator.Desired;
using IsolationOperator.Tests.Unit.Support;
using k8s;
using k8s.Models;

namespace IsolationOperator.Tests.Unit.Desired;

public class DesiredStateTests
{
    private static IReadOnlyList<IKubernetesObject<V1ObjectMeta>> Build(TenantPlan plan) =>
        DesiredState.Build(plan, "alice@vendor.example", "ACME Corp", _ => null, _ => false, Tenants.Now);

    private static TenantPlan Full() => Tenants.Plan(s =>
    {
        s.Access = [Tenants.Access("Group", "prospect-acme", "edit")];
        s.Network = new NetworkSpec { IngressFromNamespaces = ["ingress-nginx"], EgressCIDRs = ["203.0.113.0/24"] };
        s.Secrets = [new SecretSpec { Name = "demo-db", Keys = [new SecretKeySpec { Name = "password" }] }];
    });

    [Fact]
    public void Isolation_is_applied_before_access()
    {
        var kinds = Build(Full()).Select(o => o.Kind).ToList();

        kinds.First().Should().Be("Namespace");
        var firstBinding = kinds.IndexOf("RoleBinding");
        var lastFence = new[] { "NetworkPolicy", "ResourceQuota", "LimitRange", "Secret", "ServiceAccount" }.Max(k => kinds.LastIndexOf(k));
        firstBinding.Should().BeGreaterThan(lastFence, "access is granted only once the fences are up");
        kinds.LastIndexOf("NetworkPolicy").Should().BeLessThan(kinds.IndexOf("Secret"));
    }

    [Fact]
    public void Everything_except_the_namespace_lives_in_the_tenant_namespace()
    {
        var all = Build(Full());
        all.Skip(1).Should().OnlyContain(o => o.Metadata.NamespaceProperty == "demo-acme");
        all.Should().OnlyContain(o => TenantLabels.TenantOf(o.Metadata) == "acme");
        all.Select(o => (o.Kind, o.Metadata.Name)).Should().OnlyHaveUniqueItems();
        all.Should().OnlyContain(o => !string.IsNullOrEmpty(o.ApiVersion) && !string.IsNullOrEmpty(o.Kind));
    }

    [Fact]
    public void Builds_every_kind_the_tenant_needs()
    {
        Build(Full()).GroupBy(o => o.Kind).ToDictionary(g => g.Key, g => g.Count()).Should().Equal(new Dictionary<string, int>
        {
            ["Namespace"] = 1,
            ["NetworkPolicy"] = 5,
            ["ResourceQuota"] = 2, // tenant-quota and tenant-critical-priority
            ["LimitRange"] = 1,
            ["ServiceAccount"] = 1,
            ["Secret"] = 1,
            ["RoleBinding"] = 2,
        });
    }

    [Fact]
    public void Existing_secrets_and_rotation_decisions_are_passed_through()
    {
        var plan = Full();
        var existing = SecretBuilder.Build(plan, plan.Secrets[0], null, false, Tenants.Now.AddDays(-1));

        var kept = DesiredState.Build(plan, "o", "p", n => n == "demo-db" ? existing : null, _ => false, Tenants.Now).OfType<V1Secret>().Single();
        var rotated = DesiredState.Build(plan, "o", "p", n => n == "demo-db" ? existing : null, _ => true, Tenants.Now).OfType<V1Secret>().Single();

        kept.Data["password"].Should().Equal(existing.Data["password"]);
        rotated.Data["password"].Should().NotEqual(existing.Data["password"]);
    }
}
