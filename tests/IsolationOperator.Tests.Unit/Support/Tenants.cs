using IsolationOperator.Api.V1Alpha1;
using IsolationOperator.Desired;
using k8s.Models;

namespace IsolationOperator.Tests.Unit.Support;

/// <summary>Small DemoTenants and plans for builder tests; everything at a fixed clock.</summary>
internal static class Tenants
{
    public static readonly DateTimeOffset Now = new(2025, 6, 1, 12, 0, 0, TimeSpan.Zero);

    public static DemoTenant New(string name = "acme", Action<DemoTenantSpec>? spec = null, DateTime? created = null)
    {
        var tenant = new DemoTenant
        {
            Metadata = new V1ObjectMeta { Name = name, CreationTimestamp = created ?? Now.UtcDateTime.AddHours(-1) },
            Spec = new DemoTenantSpec { Prospect = "ACME Corp", Owner = "alice@vendor.example" },
        };
        spec?.Invoke(tenant.Spec);
        return tenant;
    }

    public static PlanResult PlanResult(Action<DemoTenantSpec>? spec = null, string name = "acme") =>
        TenantPlanner.Plan(New(name, spec), Now);

    /// <summary>The plan of a spec that must be valid; fails the test with the problems otherwise.</summary>
    public static TenantPlan Plan(Action<DemoTenantSpec>? spec = null, string name = "acme")
    {
        var result = PlanResult(spec, name);
        result.Problems.Should().BeEmpty();
        return result.Plan!;
    }

    /// <summary>The problems of a spec that must be refused.</summary>
    public static IReadOnlyList<string> Problems(Action<DemoTenantSpec> spec, string name = "acme")
    {
        var result = PlanResult(spec, name);
        result.Plan.Should().BeNull("a spec with problems must not produce a plan");
        result.Problems.Should().NotBeEmpty();
        return result.Problems;
    }

    public static AccessEntry Access(string kind, string name, string role, DateTimeOffset? expiresAt = null) =>
        new() { Kind = kind, Name = name, Role = role, ExpiresAt = expiresAt };
}
