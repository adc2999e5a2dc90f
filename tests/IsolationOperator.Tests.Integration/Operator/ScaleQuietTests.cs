using IsolationOperator.Api.V1Alpha1;
using IsolationOperator.Tests.Integration.Infrastructure;
using k8s;

namespace IsolationOperator.Tests.Integration.Operator;

/// <summary>At rest, the operator's cost is its open watches: no writes and no list calls, however many tenants.</summary>
public sealed class ScaleQuietTests(ControlPlaneFixture fixture) : IClassFixture<ControlPlaneFixture>
{
    private const int TenantCount = 200;
    private IKubernetes Admin => fixture.Plane.AdminClient();

    [LocalPlaneFact]
    public async Task With_200_tenants_and_no_deadlines_due_the_operator_makes_no_writes_and_no_lists_for_a_minute()
    {
        // A resync inside the window proves that re-reconciling all 200 from the cache costs nothing either.
        await using var op = await OperatorUnderTest.StartAsync(fixture.Plane, UniqueName.For("scale"), o =>
        {
            o.ResyncPeriod = TimeSpan.FromSeconds(20);
            o.Workers = 4;
        });
        var names = Enumerable.Range(0, TenantCount).Select(i => UniqueName.For($"s{i}")).ToList();
        using (var gate = new SemaphoreSlim(8))
        {
            await Task.WhenAll(names.Select(async n =>
            {
                await gate.WaitAsync();
                try { await Tenants.CreateAsync(Admin, op.Own(Tenants.New(n, s => s.Ttl = "720h"))); }
                finally { gate.Release(); }
            }));
        }
        await Eventually.HoldsAsync($"all {TenantCount} tenants Ready", async () =>
        {
            var list = await Admin.CustomObjects.ListClusterCustomObjectAsync(DemoTenant.Group, DemoTenant.Version, DemoTenant.Plural,
                labelSelector: $"{OperatorUnderTest.RunLabel}={op.RunId}");
            var tenants = KubernetesJson.Deserialize<DemoTenantList>(KubernetesJson.Serialize(list)).Items;
            return tenants.Count == TenantCount && tenants.All(t => t.Status?.Phase == Phases.Ready && t.Status.ObservedGeneration == t.Metadata.Generation);
        }, TimeSpan.FromMinutes(6));
        await Task.Delay(TimeSpan.FromSeconds(5));

        var since = DateTimeOffset.UtcNow;
        await Task.Delay(TimeSpan.FromSeconds(60));
        var requests = AuditLog.Read(fixture.Plane.AuditLogPath!, op.User, since);
        requests.Where(e => e.Verb is "create" or "update" or "patch" or "delete").Should().BeEmpty("nothing changed");
        requests.Where(e => e.Verb is "list" or "get").Should().BeEmpty("watches only");

    }
}
