using IsolationOperator.Api.V1Alpha1;
using IsolationOperator.Tests.Integration.Infrastructure;
using k8s;

namespace IsolationOperator.Tests.Integration.Operator;

/// <summary>Two replicas against one control plane: one reconciles, the other takes over when it dies.</summary>
public sealed class LeaderElectionTests(ControlPlaneFixture fixture) : IClassFixture<ControlPlaneFixture>
{
    private static readonly TimeSpan LeaseDuration = TimeSpan.FromSeconds(15);
    private IKubernetes Admin => fixture.Plane.AdminClient();

    [LocalPlaneFact]
    public async Task Only_the_leader_reconciles_and_the_standby_takes_over_within_the_lease_duration_when_it_is_killed()
    {
        await Crd.InstallAsync(fixture.Plane);
        var runId = UniqueName.For("le");
        var lease = UniqueName.For("lease");
        var (userA, userB) = ($"replica-a-{runId}", $"replica-b-{runId}");
        OperatorProcess StartReplica(string user) => OperatorProcess.Start(fixture.Plane.WriteKubeconfigFor(user, "system:masters"), new Dictionary<string, string>
        {
            ["MetricsPort"] = OperatorProcess.FreePort().ToString(),
            ["LeaseNamespace"] = "default",
            ["LeaseName"] = lease,
            ["Identity"] = user,
            ["TenantSelector"] = $"{OperatorUnderTest.RunLabel}={runId}",
        });

        using var a = StartReplica(userA);
        await Eventually.HoldsAsync("replica a holds the lease", async () =>
            (await Admin.CoordinationV1.ReadNamespacedLeaseAsync(lease, "default")).Spec.HolderIdentity == userA);
        using var b = StartReplica(userB);
        await Eventually.HoldsAsync("replica b is up as standby", () => Task.FromResult(b.Output.Contains("current leader")));

        var tenant = Tenants.New(UniqueName.For("le"));
        tenant.Metadata.Labels = new Dictionary<string, string> { [OperatorUnderTest.RunLabel] = runId };
        await Tenants.CreateAsync(Admin, tenant);
        await Tenants.WaitForPhaseAsync(Admin, tenant.Metadata.Name, Phases.Ready);

        var start = DateTimeOffset.UtcNow.AddMinutes(-2);
        var log = fixture.Plane.AuditLogPath!;
        AuditLog.Writes(log, userA, start).Where(e => e.Resource != "leases").Should().NotBeEmpty("the leader did the work");
        AuditLog.Writes(log, userB, start).Where(e => e.Resource != "leases").Should().BeEmpty("the standby does not reconcile");

        // A quiet leader: the passes its own status writes trigger (and their events) are done before the kill, so a
        // request still in flight cannot be mistaken for a write after death.
        await Task.Delay(TimeSpan.FromSeconds(2));
        var killed = DateTimeOffset.UtcNow;
        a.Signal(9);
        await Tenants.PatchSpecAsync(Admin, tenant.Metadata.Name, new { quota = new Dictionary<string, string> { ["pods"] = "33" } });
        await Eventually.HoldsAsync("the change is reconciled by the new leader", async () =>
            (await Admin.CoreV1.ReadNamespacedResourceQuotaAsync("tenant-quota", tenant.Spec.Namespace)).Spec.Hard["pods"].ToString() == "33",
            LeaseDuration + TimeSpan.FromSeconds(15));
        var tookOver = DateTimeOffset.UtcNow - killed;
        tookOver.Should().BeLessThan(LeaseDuration + TimeSpan.FromSeconds(5), "the standby takes over within the lease duration");
        (await Admin.CoordinationV1.ReadNamespacedLeaseAsync(lease, "default")).Spec.HolderIdentity.Should().Be(userB);

        // Never both at once: every write of the old leader precedes its death, every write of the new one follows it.
        AuditLog.Writes(log, userA, start).Where(e => e.Resource != "leases").Should().OnlyContain(e => e.Received <= killed);
        AuditLog.Writes(log, userB, start).Where(e => e.Resource != "leases").Should().NotBeEmpty().And.OnlyContain(e => e.Received > killed);
    }
}
