using IsolationOperator.Engine;

namespace IsolationOperator.Tests.Unit.Engine;

public class LeaseDecisionTests
{
    private const string Me = "operator-a-1f2e3";
    private static readonly TimeSpan Fallback = TimeSpan.FromSeconds(15);
    private static readonly DateTime Then = new(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    private static LeaseRecord HeldBy(string? holder, int? seconds = 4) => new(holder, seconds, Then, Then, 3);

    private static LeaseVerdict Decide(LeaseRecord? record, double secondsSinceObservedChange) =>
        LeaseDecision.Decide(record, Me, TimeSpan.FromSeconds(secondsSinceObservedChange), Fallback);

    [Fact]
    public void No_lease_is_created() => Decide(null, 0).Should().Be(LeaseVerdict.Create);

    [Fact]
    public void A_free_lease_is_taken_at_once()
    {
        Decide(HeldBy(null, 1), 0).Should().Be(LeaseVerdict.Acquire);
        Decide(HeldBy(""), 0).Should().Be(LeaseVerdict.Acquire, "a released lease has an empty holder");
    }

    [Fact]
    public void Our_own_lease_is_renewed_whenever_we_look() => Decide(HeldBy(Me), 100).Should().Be(LeaseVerdict.Renew);

    [Theory]
    [InlineData(0)]
    [InlineData(3.999)]
    public void Another_holders_lease_is_left_alone_until_we_saw_it_unchanged_for_its_duration(double seconds) =>
        Decide(HeldBy("operator-b-00000"), seconds).Should().Be(LeaseVerdict.HeldByOther);

    [Theory]
    [InlineData(4)]
    [InlineData(60)]
    public void Another_holders_lease_unchanged_for_its_duration_by_our_clock_is_taken_over(double seconds) =>
        Decide(HeldBy("operator-b-00000"), seconds).Should().Be(LeaseVerdict.Acquire);

    [Fact]
    public void The_holders_renew_time_is_never_compared_with_our_clock()
    {
        // Renewed "years ago" by the holder's clock, but we saw it change just now: it is still held.
        var record = new LeaseRecord("operator-b-00000", 4, Then.AddYears(-5), Then.AddYears(-5), 1);

        Decide(record, 0.5).Should().Be(LeaseVerdict.HeldByOther);
    }

    [Fact]
    public void A_record_without_a_duration_expires_after_our_own_lease_duration()
    {
        Decide(HeldBy("operator-b-00000", null), 14).Should().Be(LeaseVerdict.HeldByOther);
        Decide(HeldBy("operator-b-00000", null), 15).Should().Be(LeaseVerdict.Acquire);
    }

    [Fact]
    public void Taking_over_counts_a_transition_renewing_keeps_the_acquire_time_and_releasing_frees_it_for_one_second()
    {
        var now = Then.AddMinutes(1);
        var taken = LeaseRecord.TakenFrom(HeldBy("operator-b-00000"), Me, 4, now);
        taken.Should().Be(new LeaseRecord(Me, 4, now, now, 4));

        var later = now.AddSeconds(1);
        taken.RenewedBy(Me, 4, later).Should().Be(new LeaseRecord(Me, 4, now, later, 4));

        taken.Released(later).Should().Be(new LeaseRecord(null, 1, later, later, 4));
        LeaseRecord.TakenFrom(null, Me, 4, now).Transitions.Should().Be(1);
    }
}
