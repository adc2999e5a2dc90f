using IsolationOperator.Api.V1Alpha1;
using IsolationOperator.Tests.Integration.Infrastructure;
using k8s;

namespace IsolationOperator.Tests.Integration.Operator;

/// <summary>Idempotence, proven from the API server's audit log: with nothing changing, the operator writes nothing.</summary>
public sealed class QuietOperatorTests(ControlPlaneFixture fixture) : IClassFixture<ControlPlaneFixture>
{
    private IKubernetes Admin => fixture.Plane.AdminClient();

    [LocalPlaneFact]
    public async Task Operator_makes_no_writes_and_no_lists_while_nothing_changes()
    {
        // A short resync makes the operator reconcile every tenant again and again during the quiet window.
        await using var op = await OperatorUnderTest.StartAsync(fixture.Plane, UniqueName.For("quiet"), o => o.ResyncPeriod = TimeSpan.FromSeconds(2));
        var names = new List<string>();
        foreach (var sample in new[] { "acme.yaml", "globex.yaml" })
        {
            var t = op.Own(Tenants.FromSample(sample, UniqueName.For("quiet")));
            await Tenants.CreateAsync(Admin, t);
            names.Add(t.Metadata.Name);
        }
        foreach (var n in names) await Tenants.WaitForPhaseAsync(Admin, n, Phases.Ready);
        await Task.Delay(TimeSpan.FromSeconds(3)); // let the last status write's own watch event come back

        var since = DateTimeOffset.UtcNow;
        await Task.Delay(TimeSpan.FromSeconds(12));
        var log = fixture.Plane.AuditLogPath!;
        AuditLog.Read(log, op.User, since.AddHours(-1)).Should().NotBeEmpty("the audit log does record this operator's requests");
        AuditLog.Writes(log, op.User, since).Should().BeEmpty("nothing changed, so nothing may be written");
        AuditLog.Read(log, op.User, since).Where(e => e.Verb is "list" or "get").Should().BeEmpty("a quiet cluster costs watches only");
    }

    [Fact]
    public async Task Secret_values_are_identical_after_an_operator_restart()
    {
        var runId = UniqueName.For("restart");
        DemoTenant tenant;
        byte[] before;
        await using (var first = await OperatorUnderTest.StartAsync(fixture.Plane, runId))
        {
            tenant = first.Own(Tenants.FromSample("acme.yaml", UniqueName.For("restart")));
            await Tenants.CreateAsync(Admin, tenant);
            await Tenants.WaitForPhaseAsync(Admin, tenant.Metadata.Name, Phases.Ready);
            before = (await Admin.CoreV1.ReadNamespacedSecretAsync("demo-db", tenant.Spec.Namespace)).Data["password"];
        }

        await using var second = await OperatorUnderTest.StartAsync(fixture.Plane, runId);
        // A spec change to another field makes the new operator reconcile this tenant for certain.
        await Tenants.PatchSpecAsync(Admin, tenant.Metadata.Name, new { prospect = "ACME Corp (renamed)", quota = new Dictionary<string, string> { ["pods"] = "25" } });
        await Eventually.HoldsAsync("new operator reconciled the change", async () =>
            (await Admin.CoreV1.ReadNamespacedResourceQuotaAsync("tenant-quota", tenant.Spec.Namespace)).Spec.Hard["pods"].ToString() == "25");
        await Tenants.WaitForPhaseAsync(Admin, tenant.Metadata.Name, Phases.Ready);

        (await Admin.CoreV1.ReadNamespacedSecretAsync("demo-db", tenant.Spec.Namespace)).Data["password"].Should().Equal(before);
    }
}
