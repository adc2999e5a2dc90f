using System.Globalization;
using System.Text.RegularExpressions;

namespace IsolationOperator.Desired;

/// <summary>Parses the duration form Kubernetes users know from Go (168h, 1h30m, 20s).</summary>
public static partial class GoDuration
{
    [GeneratedRegex(@"^(?:([0-9]+(?:\.[0-9]+)?)(h|m|s))+\z")]
    private static partial Regex Whole();

    [GeneratedRegex(@"([0-9]+(?:\.[0-9]+)?)(h|m|s)")]
    private static partial Regex Part();

    public static bool TryParse(string? text, out TimeSpan value)
    {
        value = TimeSpan.Zero;
        if (string.IsNullOrEmpty(text) || !Whole().IsMatch(text)) return false;
        double seconds = 0;
        foreach (Match m in Part().Matches(text))
        {
            var n = double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
            seconds += m.Groups[2].Value switch { "h" => n * 3600, "m" => n * 60, _ => n };
        }
        if (seconds > TimeSpan.MaxValue.TotalSeconds / 2) return false;
        value = TimeSpan.FromSeconds(seconds);
        return true;
    }
}
