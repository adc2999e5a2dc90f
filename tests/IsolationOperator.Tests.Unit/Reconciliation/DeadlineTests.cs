using IsolationOperator.Api.V1Alpha1;
using IsolationOperator.Desired;
using IsolationOperator.Reconciliation;
using IsolationOperator.Tests.Unit.Support;

namespace IsolationOperator.Tests.Unit.Reconciliation;

public class DeadlineTests
{
    private static readonly DateTimeOffset Now = Tenants.Now;
    private static readonly TimeSpan Day = TimeSpan.FromHours(24);

    [Fact]
    public void Inside_the_warning_window_only_the_expiry_itself_is_a_deadline()
    {
        var expiresAt = Now.AddHours(2); // the window started 22h ago
        Lifecycle.Deadlines(expiresAt, [], Day, Now).Should().Equal(expiresAt);
        ReconcileResult.Earliest(Now, Lifecycle.Deadlines(expiresAt, [], Day, Now)).RequeueAfter
            .Should().BeGreaterThan(TimeSpan.FromHours(1), "a demo in its last day must not spin");
    }

    [Fact]
    public void Passed_access_deadlines_are_not_deadlines()
    {
        var grant = new AccessGrant("Group", "g", "edit", Now.AddMinutes(-1));
        Lifecycle.Deadlines(null, [grant], Day, Now).Should().BeEmpty();
    }

    [Fact]
    public void A_valid_spec_decides_the_expiry_even_when_it_extends_it()
    {
        var tenant = Tenants.New(spec: s => s.ExpiresAt = Now.AddDays(10));
        tenant.Status = new DemoTenantStatus { ExpiresAt = Now.AddDays(1) };
        var plan = TenantPlanner.Plan(tenant, Now).Plan!;
        Lifecycle.EffectiveExpiry(tenant, plan).Should().Be(Now.AddDays(10));
    }

    [Fact]
    public void A_rejected_spec_never_moves_the_last_valid_deadline_later()
    {
        var tenant = Tenants.New(spec: s => { s.ExpiresAt = Now.AddDays(10); s.Profile = "nonsense"; });
        tenant.Status = new DemoTenantStatus { ExpiresAt = Now.AddDays(1) };
        Lifecycle.EffectiveExpiry(tenant, null).Should().Be(Now.AddDays(1));
    }

    [Fact]
    public void A_rejected_spec_can_bring_the_deadline_earlier()
    {
        var tenant = Tenants.New(spec: s => { s.ExpiresAt = Now.AddHours(1); s.Profile = "nonsense"; });
        tenant.Status = new DemoTenantStatus { ExpiresAt = Now.AddDays(1) };
        Lifecycle.EffectiveExpiry(tenant, null).Should().Be(Now.AddHours(1));
    }

    [Fact]
    public void A_rejected_spec_that_drops_the_expiry_keeps_the_recorded_one()
    {
        var tenant = Tenants.New(spec: s => s.Profile = "nonsense");
        tenant.Status = new DemoTenantStatus { ExpiresAt = Now.AddDays(1) };
        Lifecycle.EffectiveExpiry(tenant, null).Should().Be(Now.AddDays(1));
    }

    [Theory]
    [InlineData(30, true)]
    [InlineData(25 * 60, false)]
    [InlineData(-1, false)]
    public void Warning_window_is_the_last_day_before_expiry(int minutesLeft, bool inside) =>
        Lifecycle.InWarningWindow(Now.AddMinutes(minutesLeft), Now, Day).Should().Be(inside);
}
