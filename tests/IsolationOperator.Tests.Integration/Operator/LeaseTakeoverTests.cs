using IsolationOperator.Api.V1Alpha1;
using IsolationOperator.Hosting;
using IsolationOperator.Tests.Integration.Infrastructure;
using k8s;
using k8s.Autorest;
using Xunit.Abstractions;
using static IsolationOperator.Tests.Integration.Infrastructure.LeaseContenders;

namespace IsolationOperator.Tests.Integration.Operator;

/// <summary>
/// Leadership ends in every way it can (stolen, paused, stopped) and two replicas never write at once: the API
/// server's audit log, per replica user, is the judge. Short timings: lease 6 s, renew deadline 5 s, retry 1 s.
/// </summary>
public sealed class LeaseTakeoverTests(ControlPlaneFixture fixture, ITestOutputHelper output) : IClassFixture<ControlPlaneFixture>
{
    private IKubernetes Admin => fixture.Plane.AdminClient();
    private string AuditLogPath => fixture.Plane.AuditLogPath!;

    [LocalPlaneFact]
    public async Task A_stolen_lease_stops_the_old_leaders_writes_within_renew_deadline_plus_retry_period()
    {
        await Crd.InstallAsync(fixture.Plane);
        var race = new LeaseContenders(fixture.Plane);
        var userA = race.User("a");
        using var a = race.Start(userA);
        await WithOutputAsync(a, Eventually.HoldsAsync("a leads with synced caches", async () => await race.HolderAsync() == userA && a.Output.Contains("caches synced")));
        var tenant = race.NewTenant();
        await Tenants.CreateAsync(Admin, tenant);
        await Tenants.WaitForPhaseAsync(Admin, tenant.Metadata.Name, Phases.Ready);

        // The thief reads and replaces; a renewal by the leader in between is a 409, and the thief tries again.
        var stolen = DateTimeOffset.UtcNow;
        for (var attempt = 0; ; attempt++)
        {
            var lease = await Admin.CoordinationV1.ReadNamespacedLeaseAsync(race.Lease, LeaseNamespace);
            lease.Spec.HolderIdentity = "someone-else";
            lease.Spec.RenewTime = DateTime.UtcNow;
            try
            {
                stolen = DateTimeOffset.UtcNow;
                await Admin.CoordinationV1.ReplaceNamespacedLeaseAsync(lease, race.Lease, LeaseNamespace);
                break;
            }
            catch (HttpOperationException e) when (e.Response.StatusCode == System.Net.HttpStatusCode.Conflict && attempt < 5)
            {
            }
        }
        // Work a leader would do at once: the old one may start it, but must stop within the window.
        await Tenants.PatchSpecAsync(Admin, tenant.Metadata.Name, new { quota = new Dictionary<string, string> { ["pods"] = "33" } });

        (await a.WaitForExitAsync(RenewDeadline + RetryPeriod + TimeSpan.FromSeconds(10))).Should().BeTrue("a replica that lost the lease exits");
        a.ExitCode.Should().Be(ExitCodes.LeadershipLost);
        a.Output.Should().Contain("lost leadership").And.Contain("someone-else");
        await Task.Delay(TimeSpan.FromSeconds(1)); // the audit log is written after the response
        AuditLog.Writes(AuditLogPath, userA, stolen + RenewDeadline + RetryPeriod).Should().BeEmpty("the old leader stopped writing");
        (await race.HolderAsync()).Should().Be("someone-else", "a replica that lost the lease neither takes it back nor releases it");
    }

    [LocalPlaneFact]
    public async Task A_paused_leader_is_replaced_within_lease_duration_plus_two_retry_periods()
    {
        await Crd.InstallAsync(fixture.Plane);
        var race = new LeaseContenders(fixture.Plane);
        var (userA, userB) = (race.User("a"), race.User("b"));
        var (a, b) = await race.StartLeaderAndStandbyAsync(userA, userB);
        using var _a = a;
        using var _b = b;

        var paused = DateTimeOffset.UtcNow;
        a.Signal(19); // SIGSTOP: a frozen process renews nothing and notices nothing
        var tenant = race.NewTenant();
        await Tenants.CreateAsync(Admin, tenant);
        // The promise is about the Lease: measured on the Lease itself (polled every 200 ms), apart from how long the
        // new leader's first reconcile then takes on a loaded machine (quota status comes from the controller manager).
        await Eventually.HoldsAsync("the standby holds the lease", async () => await race.HolderAsync() == userB, LeaseDuration + TimeSpan.FromSeconds(30));
        var takenAfter = DateTimeOffset.UtcNow - paused;
        await Tenants.WaitForPhaseAsync(Admin, tenant.Metadata.Name, Phases.Ready, LeaseDuration + TimeSpan.FromSeconds(30));
        var readyAfter = DateTimeOffset.UtcNow - paused;
        output.WriteLine($"paused leader replaced after {takenAfter.TotalSeconds:0.00}s, new tenant Ready after {readyAfter.TotalSeconds:0.00}s");
        takenAfter.Should().BeLessThan(LeaseDuration + 2 * RetryPeriod + TimeSpan.FromSeconds(2), "lease duration + 2 retry periods (plus the poll and a loaded machine's request time)");
        readyAfter.Should().BeLessThan(takenAfter + TimeSpan.FromSeconds(10), "the new leader's caches are warm: it reconciles at once");
        (await race.HolderAsync()).Should().Be(userB);

        var resumed = DateTimeOffset.UtcNow;
        a.Signal(18); // SIGCONT: it wakes up believing it leads
        (await a.WaitForExitAsync(RenewDeadline + RetryPeriod + TimeSpan.FromSeconds(10))).Should().BeTrue("the woken leader finds the lease lost and exits");
        a.ExitCode.Should().Be(ExitCodes.LeadershipLost);
        await Task.Delay(TimeSpan.FromSeconds(1));
        AuditLog.Writes(AuditLogPath, userA, paused).Where(e => e.Resource != "leases").Should().BeEmpty("a paused leader never writes after a takeover");
        AuditLog.Writes(AuditLogPath, userA, resumed).Should().BeEmpty("not even the lease");
        AuditLog.Writes(AuditLogPath, userB, paused).Where(e => e.Resource != "leases").Should().NotBeEmpty("the new leader did the work");
        b.Output.Should().Contain("became leader");
    }

    [LocalPlaneFact]
    public async Task On_SIGTERM_the_leader_releases_the_lease_and_the_standby_reconciles_within_three_seconds()
    {
        await Crd.InstallAsync(fixture.Plane);
        var race = new LeaseContenders(fixture.Plane);
        var (userA, userB) = (race.User("a"), race.User("b"));
        var (a, b) = await race.StartLeaderAndStandbyAsync(userA, userB);
        using var _a = a;
        using var _b = b;

        var tenant = race.NewTenant();
        await Tenants.CreateAsync(Admin, tenant);
        await Tenants.WaitForPhaseAsync(Admin, tenant.Metadata.Name, Phases.Ready);
        await Task.Delay(TimeSpan.FromSeconds(1)); // the pass triggered by its own status write is over

        var stopped = DateTimeOffset.UtcNow;
        a.Signal(15);
        (await a.WaitForExitAsync(TimeSpan.FromSeconds(20))).Should().BeTrue();
        var exitedAfter = DateTimeOffset.UtcNow - stopped;
        // A change only the new leader can make: the old one has exited.
        await Tenants.PatchSpecAsync(Admin, tenant.Metadata.Name, new { quota = new Dictionary<string, string> { ["pods"] = "33" } });
        await Eventually.HoldsAsync("the change is reconciled by the new leader", async () =>
            (await Admin.CoreV1.ReadNamespacedResourceQuotaAsync("tenant-quota", tenant.Spec.Namespace)).Spec.Hard["pods"].ToString() == "33",
            TimeSpan.FromSeconds(30));
        var reconciledAfter = DateTimeOffset.UtcNow - stopped;
        output.WriteLine($"after SIGTERM: old leader exited in {exitedAfter.TotalSeconds:0.00}s, the standby reconciled a change in {reconciledAfter.TotalSeconds:0.00}s");
        a.ExitCode.Should().Be(ExitCodes.Stopped);
        a.Output.Should().Contain("released lease");
        reconciledAfter.Should().BeLessThan(TimeSpan.FromSeconds(3), "the lease is released, not left to expire");

        (await race.HolderAsync()).Should().Be(userB);
        await Task.Delay(TimeSpan.FromSeconds(1));
        // A renewal already on the wire when the signal arrived may land after it (seen under load); after that, only
        // the release. Nothing else.
        var written = AuditLog.Writes(AuditLogPath, userA, stopped).ToList();
        written.Should().HaveCountLessThanOrEqualTo(2, "after SIGTERM the old leader writes only the release (and at most one renewal in flight)")
            .And.OnlyContain(e => e.Resource == "leases");
        var release = written.Should().NotBeEmpty().And.Subject.MaxBy(e => e.Received)!;
        AuditLog.Writes(AuditLogPath, userB, stopped).Where(e => e.Resource != "leases")
            .Should().NotBeEmpty().And.OnlyContain(e => e.Received > release.Received, "never both at once");
    }

    [LocalPlaneFact]
    public async Task Bad_lease_timings_stop_the_start_with_one_clear_line()
    {
        using var op = OperatorProcess.Start(fixture.Plane.KubeconfigPath, new Dictionary<string, string>
        {
            ["MetricsPort"] = OperatorProcess.FreePort().ToString(),
            ["LeaseDuration"] = "00:00:03",
            ["RenewDeadline"] = "00:00:03",
            ["RetryPeriod"] = "00:00:01",
        });

        (await op.WaitForExitAsync(TimeSpan.FromSeconds(30))).Should().BeTrue();
        op.ExitCode.Should().Be(ExitCodes.StartFailed);
        var lines = op.Output.Trim();
        lines.Split('\n').Should().ContainSingle("one line, no stack trace");
        lines.Should().Contain("invalid configuration").And.Contain("Operator__LeaseDuration").And.Contain("Operator__RenewDeadline").And.NotContain("   at ");
    }
}
