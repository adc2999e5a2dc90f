using IsolationOperator.Api.V1Alpha1;
using IsolationOperator.Audit;
using IsolationOperator.Tests.Integration.Infrastructure;
using k8s;

namespace IsolationOperator.Tests.Integration.Auditing;

/// <summary>
/// Issue 14, with a real kill -9: the operator process is killed the moment the API server's audit log shows it
/// granting access (a RoleBinding create in the demo's namespace), before it can have written the record; the
/// restarted process records every action of the provisioning exactly once, and the chain verifies.
/// Where exactly the kill lands depends on timing (the log is polled); WriteBoundaryTests is the deterministic proof,
/// cutting the in-process operator off after each of its writes.
/// </summary>
public sealed class AuditCrashTests(ControlPlaneFixture fixture) : IClassFixture<ControlPlaneFixture>
{
    private IKubernetes Admin => fixture.Plane.AdminClient();

    [LocalPlaneFact]
    public async Task Killed_right_after_granting_access_the_restarted_operator_records_every_action_once()
    {
        await Crd.InstallAsync(fixture.Plane);
        var runId = UniqueName.For("crash");
        var user = UniqueName.For("crash-op");
        var kubeconfig = fixture.Plane.WriteKubeconfigFor(user, "system:masters");
        var settings = new Dictionary<string, string>
        {
            ["MetricsPort"] = OperatorProcess.FreePort().ToString(), ["LeaderElection"] = "false", ["Identity"] = runId,
            ["TenantSelector"] = $"{OperatorUnderTest.RunLabel}={runId}",
        };
        var tenant = Tenants.New(UniqueName.For("crash"), s =>
        {
            s.Access = [new AccessEntry { Kind = "Group", Name = UniqueName.For("p"), Role = "edit" }];
            s.Secrets = [new SecretSpec { Name = "db", Keys = [new SecretKeySpec { Name = "password" }] }];
        });
        tenant.Metadata.Labels = new Dictionary<string, string> { [OperatorUnderTest.RunLabel] = runId };
        var ns = tenant.Spec.Namespace!;
        var since = DateTimeOffset.UtcNow.AddSeconds(-1);

        string uid;
        using (var first = OperatorProcess.Start(kubeconfig, settings))
        {
            uid = (await Tenants.CreateAsync(Admin, tenant)).Metadata.Uid;
            // As cluster admin it binds nobody for itself: the first RoleBinding it creates is an access grant.
            try
            {
                await Eventually.HoldsAsync("the operator granted access", () => Task.FromResult(
                    AuditLog.Writes(fixture.Plane.AuditLogPath!, user, since).Any(r => r.Resource == "rolebindings" && r.Namespace == ns)), // a server-side apply: patch
                    TimeSpan.FromSeconds(60));
            }
            catch (TimeoutException e) { throw new TimeoutException($"{e.Message}; operator output:\n{first.Output}", e); }
            first.Signal(9);
            (await first.WaitForExitAsync(TimeSpan.FromSeconds(10))).Should().BeTrue();
        }
        var atKill = await AuditTrails.ReadAsync(Admin, uid, "default");

        using var second = OperatorProcess.Start(kubeconfig, settings);
        await Tenants.WaitForPhaseAsync(Admin, tenant.Metadata.Name, Phases.Ready);
        var trail = await Eventually.GetAsync("the whole provisioning recorded", async () =>
            await AuditTrails.ReadAsync(Admin, uid, "default") is { } t && new[] { "Provisioned", "SecretGenerated", "AccessGranted" }.All(a => t.Records.Any(r => r.Action == a)) ? t : null);

        var actions = trail.Records.Select(r => r.Action).ToList();
        actions.Count(a => a == "Provisioned").Should().Be(1);
        actions.Count(a => a == "SecretGenerated").Should().Be(1);
        actions.Count(a => a == "AccessGranted").Should().Be(1, $"recorded at the kill: {string.Join(", ", atKill?.Records.Select(r => r.Action) ?? [])}");
        var keys = await new AuditKeys(Admin, "default", new AuditOptions().KeySecret, TimeProvider.System).AllAsync(CancellationToken.None);
        AuditChain.Verify(trail.Records, keys, trail.Head.Head).Ok.Should().BeTrue();
        (await Tenants.GetAsync(Admin, tenant.Metadata.Name))!.Status!.Audit!.Head.Should().Be(trail.Head.Hash, "status.audit shows the stored head");
        await Tenants.DeleteAsync(Admin, tenant.Metadata.Name);
    }
}
