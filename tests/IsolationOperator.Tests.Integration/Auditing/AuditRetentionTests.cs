using System.Text.Json;
using IsolationOperator.Api.V1Alpha1;
using IsolationOperator.Audit;
using IsolationOperator.Tests.Integration.Infrastructure;
using k8s;

namespace IsolationOperator.Tests.Integration.Auditing;

/// <summary>
/// Issue 14: chain heads are anchored on stdout (the outside copy a rewrite of the store is checked against), and a
/// deleted demo's trail is kept for the retention period and then removed, while a live demo's trail stays.
/// </summary>
public sealed class AuditRetentionTests(ControlPlaneFixture fixture) : IClassFixture<ControlPlaneFixture>, IAsyncLifetime
{
    private OperatorUnderTest _operator = null!;
    private IKubernetes Admin => fixture.Plane.AdminClient();

    public async Task InitializeAsync() => _operator = await OperatorUnderTest.StartAsync(fixture.Plane, UniqueName.For("retain"), o =>
    {
        o.Audit.Retention = TimeSpan.FromSeconds(4);
        o.Audit.AnchorPeriod = TimeSpan.FromSeconds(1);
    });

    public async Task DisposeAsync() => await _operator.DisposeAsync();

    [Fact]
    public async Task Heads_are_anchored_on_stdout_and_a_deleted_demos_trail_goes_after_retention_while_a_live_one_stays()
    {
        var live = _operator.Own(Tenants.New(UniqueName.For("live")));
        var gone = _operator.Own(Tenants.New(UniqueName.For("gone")));
        var liveUid = (await Tenants.CreateAsync(Admin, live)).Metadata.Uid;
        var goneUid = (await Tenants.CreateAsync(Admin, gone)).Metadata.Uid;
        var ready = await Tenants.WaitForPhaseAsync(Admin, live.Metadata.Name, Phases.Ready);
        await Tenants.WaitForPhaseAsync(Admin, gone.Metadata.Name, Phases.Ready);

        // The anchor names the head status.audit shows.
        var shown = (await Eventually.GetAsync("status.audit", async () => (await Tenants.GetAsync(Admin, live.Metadata.Name))?.Status?.Audit is { Records: > 0 } a ? a : null))!;
        await Eventually.HoldsAsync("an anchor line with the live demo's head", () => Task.FromResult(_operator.AuditLines.Lines.Any(l =>
            l.StartsWith("{\"auditAnchor\"", StringComparison.Ordinal) && l.Contains(shown.Head!, StringComparison.Ordinal))), TimeSpan.FromSeconds(20));
        var anchor = JsonDocument.Parse(_operator.AuditLines.Lines.Last(l => l.Contains(shown.Head!, StringComparison.Ordinal) && l.Contains("auditAnchor"))).RootElement;
        anchor.GetProperty("auditAnchor").GetProperty("heads").EnumerateArray().Should().Contain(h => h.GetProperty("uid").GetString() == liveUid);
        ready.Should().NotBeNull();

        await Tenants.DeleteAsync(Admin, gone.Metadata.Name);
        await AuditTrails.WaitForAsync(Admin, goneUid, "Deleted");
        await Eventually.HoldsAsync("the deleted demo's trail is removed after retention", async () =>
            await AuditTrails.ReadAsync(Admin, goneUid) is null, TimeSpan.FromSeconds(30));
        (await AuditTrails.ReadAsync(Admin, liveUid)).Should().NotBeNull("a live demo's trail is never swept");
        (await AuditTrails.VerifyAsync(Admin, liveUid)).Ok.Should().BeTrue();
    }
}
