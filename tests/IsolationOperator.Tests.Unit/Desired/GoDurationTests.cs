using IsolationOperator.Desired;

namespace IsolationOperator.Tests.Unit.Desired;

public class GoDurationTests
{
    [Theory]
    [InlineData("168h", 168 * 3600)]
    [InlineData("90m", 90 * 60)]
    [InlineData("20s", 20)]
    [InlineData("1h30m", 5400)]
    [InlineData("1h30m15s", 5415)]
    [InlineData("1.5h", 5400)]
    [InlineData("0s", 0)]
    public void Go_durations_parse(string text, double seconds)
    {
        GoDuration.TryParse(text, out var value).Should().BeTrue();
        value.Should().Be(TimeSpan.FromSeconds(seconds));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("7d")]
    [InlineData("10")]
    [InlineData("h")]
    [InlineData("-1h")]
    [InlineData("1h 30m")]
    [InlineData("1H")]
    [InlineData("99999999999999999999h")]
    public void Other_text_is_not_a_duration(string? text)
    {
        GoDuration.TryParse(text, out var value).Should().BeFalse();
        value.Should().Be(TimeSpan.Zero);
    }

    [Theory]
    [InlineData("١h")]   // Arabic-Indic digit one
    [InlineData("٣٠m")]
    [InlineData("１h")]   // full-width digit one
    public void Non_ascii_digits_are_rejected_not_thrown(string text)
    {
        var parse = () => GoDuration.TryParse(text, out _);
        parse.Should().NotThrow().Which.Should().BeFalse();
    }
}
