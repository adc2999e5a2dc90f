using IsolationOperator.Engine;
using IsolationOperator.Hosting;

namespace IsolationOperator.Tests.Unit.Engine;

public class LeaseTimingsTests
{
    private static LeaseTimings Timings(double lease, double renew, double retry) =>
        new(TimeSpan.FromSeconds(lease), TimeSpan.FromSeconds(renew), TimeSpan.FromSeconds(retry));

    [Fact]
    public void The_defaults_and_short_test_timings_are_valid()
    {
        new OperatorOptions().ToLeaseTimings().Should().Be(Timings(15, 10, 2));
        Timings(4, 3, 1).Validated().LeaseDurationSeconds.Should().Be(4);
    }

    [Theory]
    [InlineData(3, 3, 1, "Operator__LeaseDuration (00:00:03) must be longer than Operator__RenewDeadline (00:00:03)")]
    [InlineData(2, 3, 1, "must be longer than Operator__RenewDeadline")]
    [InlineData(15, 2.4, 2, "Operator__RenewDeadline (00:00:02.4000000) must be longer than 1.2 x Operator__RetryPeriod (00:00:02)")]
    [InlineData(15, 10, 0, "Operator__RetryPeriod (00:00:00) must be positive")]
    [InlineData(15, 10, -1, "Operator__RetryPeriod")]
    [InlineData(0.5, 0.3, 0.1, "Operator__LeaseDuration (00:00:00.5000000) must be at least 1 second")]
    public void Timings_that_cannot_keep_one_leader_at_a_time_are_refused_with_one_line(double lease, double renew, double retry, string message)
    {
        var act = () => Timings(lease, renew, retry).Validated();

        act.Should().Throw<InvalidOperationException>().Which.Message.Should().Contain(message).And.NotContain("\n");
    }

    [Fact]
    public void A_lease_duration_in_fractions_of_a_second_is_recorded_rounded_up()
    {
        Timings(4.2, 3, 1).LeaseDurationSeconds.Should().Be(5, "a longer lease only delays a takeover; a shorter one would allow two leaders");
    }
}
