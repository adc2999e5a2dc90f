using System.Globalization;

namespace IsolationOperator.Admission;

/// <summary>Durations in the form the spec uses (720h, 90m), so a refusal's value can be pasted back into spec.ttl.</summary>
internal static class Durations
{
    public static string Go(TimeSpan span)
    {
        if (span < TimeSpan.Zero) return "-" + Go(-span);
        var hours = (long)Math.Floor(span.TotalHours);
        var rest = span - TimeSpan.FromHours(hours);
        var text = hours > 0 ? hours.ToString(CultureInfo.InvariantCulture) + "h" : "";
        if (rest.Minutes > 0) text += rest.Minutes.ToString(CultureInfo.InvariantCulture) + "m";
        if (rest.Seconds > 0) text += rest.Seconds.ToString(CultureInfo.InvariantCulture) + "s";
        return text.Length == 0 ? "0s" : text;
    }

    /// <summary>Round down to whole hours when the span is at least an hour: what a person would type.</summary>
    public static string GoFloorHours(TimeSpan span) =>
        span >= TimeSpan.FromHours(1) ? Go(TimeSpan.FromHours(Math.Floor(span.TotalHours))) : Go(TimeSpan.FromSeconds(Math.Floor(span.TotalSeconds)));

    public static string Moment(DateTimeOffset at) => at.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
