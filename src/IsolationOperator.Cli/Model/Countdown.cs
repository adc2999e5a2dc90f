using System.Globalization;

namespace IsolationOperator.Cli.Model;

/// <summary>How long until a moment, as a person reads it: "2d 4h", "5h 10m", "12m", "<1m", "expired".</summary>
public static class Countdown
{
    public static string Format(DateTimeOffset? at, DateTimeOffset now)
    {
        if (at is null) return "never";
        var left = at.Value - now;
        if (left <= TimeSpan.Zero) return "expired";
        string N(double v) => ((long)v).ToString(CultureInfo.InvariantCulture);
        if (left.TotalDays >= 1) return left.Hours > 0 ? $"{N(left.TotalDays)}d {left.Hours}h" : $"{N(left.TotalDays)}d";
        if (left.TotalHours >= 1) return left.Minutes > 0 ? $"{N(left.TotalHours)}h {left.Minutes}m" : $"{N(left.TotalHours)}h";
        if (left.TotalMinutes >= 1) return $"{N(left.TotalMinutes)}m";
        return "<1m";
    }
}
