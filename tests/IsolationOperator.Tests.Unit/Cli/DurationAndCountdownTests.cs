using IsolationOperator.Cli;
using IsolationOperator.Cli.Model;

namespace IsolationOperator.Tests.Unit.Cli;

public sealed class DurationAndCountdownTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 3, 12, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("7d", "168h")]
    [InlineData("36h", "36h")]
    [InlineData("90m", "1h30m")]
    [InlineData("1d12h", "36h")]
    [InlineData("45s", "45s")]
    [InlineData("2h30m15s", "2h30m15s")]
    public void Day_units_become_Go_durations_the_CRD_accepts(string typed, string go) =>
        DemoDuration.ToGo(DemoDuration.Parse(typed)).Should().Be(go);

    [Theory]
    [InlineData("7 days")]
    [InlineData("7")]
    [InlineData("-3d")]
    [InlineData("0d")]
    [InlineData("1.5d")]
    [InlineData("")]
    public void A_duration_that_is_not_one_is_a_usage_error(string typed)
    {
        var act = () => DemoDuration.Parse(typed, "--ttl");
        act.Should().Throw<CliException>().Which.ExitCode.Should().Be(ExitCode.Usage);
    }

    [Fact]
    public void Dates_are_read_as_UTC_when_they_carry_no_offset() =>
        DemoDuration.ParseMoment("2026-12-24").Should().Be(new DateTimeOffset(2026, 12, 24, 0, 0, 0, TimeSpan.Zero));

    [Theory]
    [InlineData(2 * 24 * 60 + 4 * 60 + 10, "2d 4h")]
    [InlineData(3 * 24 * 60, "3d")]
    [InlineData(5 * 60 + 10, "5h 10m")]
    [InlineData(60, "1h")]
    [InlineData(12, "12m")]
    [InlineData(0.5, "<1m")]
    [InlineData(-5, "expired")]
    public void Countdowns_read_like_a_person_says_them(double minutes, string expected) =>
        Countdown.Format(Now.AddMinutes(minutes), Now).Should().Be(expected);

    [Fact]
    public void A_demo_without_expiry_never_expires() => Countdown.Format(null, Now).Should().Be("never");
}
