using IsolationOperator.Api.V1Alpha1;
using IsolationOperator.Tests.Integration.Infrastructure;
using k8s;

namespace IsolationOperator.Tests.Integration.Faults;

/// <summary>A network path that silently stops forwarding: no error ever reaches the client, only silence.</summary>
public sealed class BlackholeTests(ControlPlaneFixture fixture) : IClassFixture<ControlPlaneFixture>
{
    private IKubernetes Admin => fixture.Plane.AdminClient();

    [LocalPlaneFact]
    public async Task Watches_behind_a_blackhole_are_abandoned_and_drift_made_meanwhile_is_repaired_soon_after_it_heals()
    {
        await using var proxy = new BlackholeProxy(new Uri(fixture.Plane.ServerUrl).Port);
        var watchTimeout = TimeSpan.FromSeconds(10);
        await using var op = await OperatorUnderTest.StartAsync(fixture.Plane, UniqueName.For("hole"), o => o.WatchTimeout = watchTimeout,
            server: $"https://127.0.0.1:{proxy.Port}");
        var tenant = op.Own(Tenants.New(UniqueName.For("hole")));
        await Tenants.CreateAsync(Admin, tenant);
        await Tenants.WaitForPhaseAsync(Admin, tenant.Metadata.Name, Phases.Ready);
        var ns = tenant.Spec.Namespace!;

        proxy.Drop();
        var dropped = DateTimeOffset.UtcNow;
        await Admin.NetworkingV1.DeleteNamespacedNetworkPolicyAsync("default-deny", ns);
        // Longest silence the client waits for: the server-side timeout (plus up to 25% jitter) and 30 s of grace.
        await Task.Delay(watchTimeout * 1.25 + TimeSpan.FromSeconds(32));
        proxy.Heal();
        var healed = DateTimeOffset.UtcNow;

        await Eventually.HoldsAsync("default-deny restored", async () =>
            (await Admin.NetworkingV1.ListNamespacedNetworkPolicyAsync(ns)).Items.Any(p => p.Metadata.Name == "default-deny"), TimeSpan.FromSeconds(45));
        (DateTimeOffset.UtcNow - healed).Should().BeLessThan(TimeSpan.FromSeconds(45), $"drift made at {dropped:T} is repaired soon after the path heals");
    }
}
