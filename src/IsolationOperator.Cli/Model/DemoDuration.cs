using System.Globalization;
using System.Text.RegularExpressions;

namespace IsolationOperator.Cli.Model;

/// <summary>
/// Durations as people type them (7d, 36h, 90m, 1d12h, 30s) and as the CRD stores them: Go durations have no day
/// unit, so "7d" becomes "168h".
/// </summary>
public static partial class DemoDuration
{
    [GeneratedRegex(@"^(?:[0-9]+(?:d|h|m|s))+\z")]
    private static partial Regex Whole();

    [GeneratedRegex(@"([0-9]+)(d|h|m|s)")]
    private static partial Regex Part();

    public static TimeSpan Parse(string text, string what = "duration")
    {
        var t = text.Trim();
        if (!Whole().IsMatch(t)) throw new CliException($"{what} \"{text}\" is not a duration like 7d, 36h, 90m or 1d12h");
        double seconds = 0;
        foreach (Match m in Part().Matches(t))
        {
            var n = double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
            seconds += m.Groups[2].Value switch { "d" => n * 86400, "h" => n * 3600, "m" => n * 60, _ => n };
        }
        if (seconds <= 0 || seconds > TimeSpan.FromDays(36500).TotalSeconds) throw new CliException($"{what} \"{text}\" must be more than 0 and at most 100 years");
        return TimeSpan.FromSeconds(seconds);
    }

    /// <summary>The Go form the CRD accepts: hours, minutes, seconds (168h, 1h30m, 45s).</summary>
    public static string ToGo(TimeSpan span)
    {
        if (span <= TimeSpan.Zero) return "0s";
        var whole = TimeSpan.FromSeconds(Math.Floor(span.TotalSeconds));
        var hours = (long)whole.TotalHours;
        var text = hours > 0 ? hours.ToString(CultureInfo.InvariantCulture) + "h" : "";
        if (whole.Minutes > 0) text += whole.Minutes.ToString(CultureInfo.InvariantCulture) + "m";
        if (whole.Seconds > 0) text += whole.Seconds.ToString(CultureInfo.InvariantCulture) + "s";
        return text.Length == 0 ? "0s" : text;
    }

    /// <summary>A moment given on the command line: RFC 3339 or a date (midnight UTC).</summary>
    public static DateTimeOffset ParseMoment(string text, string what = "date")
    {
        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var at))
            return at;
        throw new CliException($"{what} \"{text}\" is not a date like 2026-12-24 or 2026-12-24T18:00:00Z");
    }

    public static string Rfc3339(DateTimeOffset at) => at.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
