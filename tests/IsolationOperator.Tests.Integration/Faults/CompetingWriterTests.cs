using System.Text.Json;
using IsolationOperator.Api.V1Alpha1;
using IsolationOperator.Tests.Integration.Infrastructure;
using k8s;
using k8s.Models;

namespace IsolationOperator.Tests.Integration.Faults;

/// <summary>Another controller fighting over a tenant object: the fight is bounded, named, and nobody else waits for it.</summary>
public sealed class CompetingWriterTests(ControlPlaneFixture fixture) : IClassFixture<ControlPlaneFixture>, IAsyncLifetime
{
    private OperatorUnderTest _operator = null!;
    private IKubernetes Admin => fixture.Plane.AdminClient();

    public async Task InitializeAsync() => _operator = await OperatorUnderTest.StartAsync(fixture.Plane, UniqueName.For("fight"));
    public async Task DisposeAsync() => await _operator.DisposeAsync();

    [LocalPlaneFact]
    public async Task A_writer_re_adding_a_quota_key_every_half_second_meets_a_bounded_backoff_a_named_condition_and_aggregated_events()
    {
        var tenant = _operator.Own(Tenants.New(UniqueName.For("fight")));
        await Tenants.CreateAsync(Admin, tenant);
        await Tenants.WaitForPhaseAsync(Admin, tenant.Metadata.Name, Phases.Ready);
        var ns = tenant.Spec.Namespace!;
        var rival = fixture.Plane.ClientFor("quota-fiddler", "system:masters");
        var since = DateTimeOffset.UtcNow;

        using var stop = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var fighting = Task.Run(async () =>
        {
            var patch = new V1Patch(JsonSerializer.Serialize(new { spec = new { hard = new Dictionary<string, string> { ["count/configmaps"] = "999" } } }), V1Patch.PatchType.MergePatch);
            while (!stop.IsCancellationRequested)
            {
                try { await rival.CoreV1.PatchNamespacedResourceQuotaAsync(patch, "tenant-quota", ns, fieldManager: "quota-fiddler", cancellationToken: stop.Token); }
                catch (OperationCanceledException) { break; }
                await Task.Delay(500, CancellationToken.None);
            }
        });

        // Other tenants are not held up meanwhile.
        await Task.Delay(TimeSpan.FromSeconds(5));
        var bystander = _operator.Own(Tenants.New(UniqueName.For("calm")));
        var created = DateTimeOffset.UtcNow;
        await Tenants.CreateAsync(Admin, bystander);
        await Tenants.WaitForPhaseAsync(Admin, bystander.Metadata.Name, Phases.Ready, TimeSpan.FromSeconds(10));
        (DateTimeOffset.UtcNow - created).Should().BeLessThan(TimeSpan.FromSeconds(5));

        var contested = await Eventually.GetAsync("Uncontested=False naming the rival", async () =>
            await Tenants.GetAsync(Admin, tenant.Metadata.Name) is { } t && Tenants.Condition(t, ConditionTypes.Uncontested) is { Status: "False" } ? t : null);
        Tenants.Condition(contested, ConditionTypes.Uncontested)!.Message.Should().Contain("ResourceQuota tenant-quota").And.Contain("quota-fiddler")
            .And.NotContain("kube-controller-manager", "the quota controller writes only status: it is not a competitor");
        await fighting;

        var quotaWrites = AuditLog.Writes(fixture.Plane.AuditLogPath!, _operator.User, since)
            .Count(r => r.Resource == "resourcequotas" && r.Namespace == ns);
        // Each correction is an apply and a replace; without the backoff 240 rounds would have cost ~480 writes. With it:
        // three corrections, then one after 30 s, 60 s (doubling) - at most six rounds in two minutes.
        quotaWrites.Should().BeLessThanOrEqualTo(14, "the rival's 240 rounds met a few corrections and then a backoff");
        var drift = (await Tenants.EventsOnceAsync(Admin, tenant.Metadata.Name, e => e.Reason == "DriftCorrected" && e.Series?.Count >= 2,
            "a DriftCorrected event counting repeats")).Where(e => e.Reason == "DriftCorrected").ToList();
        drift.Count.Should().BeLessThanOrEqualTo(2, "repeats are counted on one event");

        // When the rival is gone, the operator corrects the object once its backoff ends, and the condition clears.
        await Eventually.HoldsAsync("contest over", async () =>
            await Tenants.GetAsync(Admin, tenant.Metadata.Name) is { } t && Tenants.Condition(t, ConditionTypes.Uncontested)?.Status == "True", TimeSpan.FromSeconds(150));
        (await Admin.CoreV1.ReadNamespacedResourceQuotaAsync("tenant-quota", ns)).Spec.Hard.Should().NotContainKey("count/configmaps");
    }

    [Fact]
    public async Task A_DemoTenant_with_a_lower_case_date_time_the_api_server_admits_is_reconciled_like_any_other()
    {
        var name = UniqueName.For("lower");
        var at = DateTimeOffset.UtcNow.AddDays(3).UtcDateTime.ToString("yyyy-MM-dd't'HH:mm:ss'z'");
        var json = $$$"""
            {"apiVersion":"isolation.demo.dev/v1alpha1","kind":"DemoTenant",
             "metadata":{"name":"{{{name}}}","labels":{"{{{OperatorUnderTest.RunLabel}}}":"{{{_operator.RunId}}}"}},
             "spec":{"prospect":"P","owner":"o","namespace":"demo-{{{name}}}","expiresAt":"{{{at}}}"}}
            """;
        await Admin.CustomObjects.CreateClusterCustomObjectAsync(JsonDocument.Parse(json).RootElement, DemoTenant.Group, DemoTenant.Version, DemoTenant.Plural);
        var ready = await Tenants.WaitForPhaseAsync(Admin, name, Phases.Ready);
        ready.Status!.ExpiresAt.Should().BeCloseTo(DateTimeOffset.UtcNow.AddDays(3), TimeSpan.FromMinutes(1));

        // The rest of the operator keeps working (one unreadable item must never freeze the tenant cache).
        var other = _operator.Own(Tenants.New(UniqueName.For("after")));
        await Tenants.CreateAsync(Admin, other);
        await Tenants.WaitForPhaseAsync(Admin, other.Metadata.Name, Phases.Ready);
    }
}
