using IsolationOperator.Reconciliation;

namespace IsolationOperator.Tests.Unit.Reconciliation;

public class ReconcileResultTests
{
    private static readonly DateTimeOffset Now = new(2025, 6, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void No_deadline_means_done()
    {
        ReconcileResult.Earliest(Now, []).Should().Be(ReconcileResult.Done);
        ReconcileResult.Earliest(Now, [null, null]).Should().Be(ReconcileResult.Done);
        ReconcileResult.Done.RequeueAfter.Should().BeNull();
    }

    [Fact]
    public void The_earliest_deadline_wins_with_a_small_margin()
    {
        var result = ReconcileResult.Earliest(Now, [Now.AddHours(2), null, Now.AddMinutes(10), Now.AddDays(1)]);
        result.RequeueAfter.Should().Be(TimeSpan.FromMinutes(10) + TimeSpan.FromMilliseconds(50),
            "waking just after the deadline finds it passed");
    }

    [Fact]
    public void A_passed_deadline_never_schedules_a_wake_up()
    {
        ReconcileResult.Earliest(Now, [Now.AddMinutes(-5)]).Should().Be(ReconcileResult.Done, "this pass already handled it");
        ReconcileResult.Earliest(Now, [Now, Now.AddHours(-1), Now.AddHours(3)]).RequeueAfter.Should().Be(TimeSpan.FromHours(3) + TimeSpan.FromMilliseconds(50));
        ReconcileResult.After(TimeSpan.FromSeconds(-1)).RequeueAfter.Should().Be(TimeSpan.Zero);
        ReconcileResult.After(TimeSpan.FromSeconds(2)).RequeueAfter.Should().Be(TimeSpan.FromSeconds(2));
    }
}
