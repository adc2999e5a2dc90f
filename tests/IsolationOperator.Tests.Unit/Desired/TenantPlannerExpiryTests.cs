using IsolationOperator.Api.V1Alpha1;
using IsolationOperator.Desired;
using IsolationOperator.Tests.Unit.Support;
using k8s;

namespace IsolationOperator.Tests.Unit.Desired;

public class TenantPlannerExpiryTests
{
    private static readonly DateTime Created = new(2025, 5, 1, 9, 0, 0, DateTimeKind.Utc);

    [Fact]
    public void Ttl_counts_from_creation()
    {
        var tenant = Tenants.New(spec: s => s.Ttl = "168h", created: Created);
        TenantPlanner.ExpiresAt(tenant).Should().Be(new DateTimeOffset(Created).AddDays(7));
        TenantPlanner.Plan(tenant, Tenants.Now).Plan!.ExpiresAt.Should().Be(new DateTimeOffset(Created).AddDays(7));
    }

    [Fact]
    public void Expires_at_wins_over_ttl()
    {
        var at = new DateTimeOffset(2030, 1, 31, 18, 0, 0, TimeSpan.Zero);
        var tenant = Tenants.New(spec: s => { s.Ttl = "1h"; s.ExpiresAt = at; }, created: Created);

        TenantPlanner.ExpiresAt(tenant).Should().Be(at);
    }

    [Fact]
    public void Expires_at_is_reported_in_utc()
    {
        var tenant = Tenants.New(spec: s => s.ExpiresAt = new DateTimeOffset(2030, 1, 31, 20, 0, 0, TimeSpan.FromHours(2)));
        var at = TenantPlanner.ExpiresAt(tenant)!.Value;
        at.Offset.Should().Be(TimeSpan.Zero);
        at.Should().Be(new DateTimeOffset(2030, 1, 31, 18, 0, 0, TimeSpan.Zero));
    }

    [Fact]
    public void Without_ttl_or_expires_at_the_demo_does_not_expire()
    {
        TenantPlanner.ExpiresAt(Tenants.New()).Should().BeNull();
        Tenants.Plan().ExpiresAt.Should().BeNull();
    }

    [Fact]
    public void Ttl_before_the_creation_time_is_known_sets_no_deadline_yet()
    {
        var tenant = Tenants.New(spec: s => s.Ttl = "1h");
        tenant.Metadata.CreationTimestamp = null;
        TenantPlanner.ExpiresAt(tenant).Should().BeNull();
    }

    [Theory]
    [InlineData("a week")]
    [InlineData("7d")]
    [InlineData("168")]
    [InlineData("")]
    public void Invalid_ttl_shows_what_a_duration_looks_like(string ttl)
    {
        Tenants.Problems(s => s.Ttl = ttl).Should().ContainSingle()
            .Which.Should().Contain($"spec.ttl \"{ttl}\"").And.Contain("168h");
    }

    [Fact]
    public void Expired_tenant_still_plans_because_expiry_is_the_reconcilers_decision()
    {
        var tenant = Tenants.New(spec: s => s.ExpiresAt = Tenants.Now.AddDays(-1));
        TenantPlanner.Plan(tenant, Tenants.Now).Problems.Should().BeEmpty();
    }

    [Fact]
    public void Ttl_counts_from_the_creation_time_the_api_server_reports()
    {
        var tenant = KubernetesJson.Deserialize<DemoTenant>("""
            {"apiVersion": "isolation.demo.dev/v1alpha1", "kind": "DemoTenant",
             "metadata": {"name": "acme", "creationTimestamp": "2025-05-01T09:00:00Z"},
             "spec": {"prospect": "ACME", "owner": "alice", "ttl": "1h"}}
            """);

        TenantPlanner.ExpiresAt(tenant).Should().Be(new DateTimeOffset(2025, 5, 1, 10, 0, 0, TimeSpan.Zero));
    }
}
