using IsolationOperator.Api.V1Alpha1;
using IsolationOperator.Cli.Model;

namespace IsolationOperator.Cli.Rendering;

/// <summary>The list verb's table: one DemoTenant a row, the countdown as a person reads it.</summary>
public static class TenantTable
{
    public static string Render(IEnumerable<DemoTenant> tenants, DateTimeOffset now, bool colour)
    {
        var table = new Table("NAME", "PROSPECT", "PHASE", "OWNER", "EXPIRES IN", "ACCESS", "VERIFIED");
        foreach (var t in tenants)
        {
            var expires = Countdown.Format(t.Status?.ExpiresAt, now);
            var soon = t.Status?.ExpiresAt is { } at && at - now < TimeSpan.FromHours(24);
            table.Add(t.Metadata.Name, t.Spec.Prospect, new Table.Cell(t.Status?.Phase ?? "Pending", PhaseColour(t.Status?.Phase)), t.Spec.Owner,
                new Table.Cell(expires, soon ? Ansi.Yellow : null), (t.Spec.Access?.Count ?? 0).ToString(System.Globalization.CultureInfo.InvariantCulture),
                Verified(t));
        }
        return table.Render(colour);
    }

    public static Table.Cell Verified(DemoTenant t) => t.Status?.Conditions?.FirstOrDefault(c => c.Type == ConditionTypes.IsolationVerified)?.Status switch
    {
        "True" => new Table.Cell("yes", Ansi.Green),
        "False" => new Table.Cell("NO", Ansi.Red),
        _ => new Table.Cell("-", Ansi.Grey),
    };

    private static string? PhaseColour(string? phase) => phase switch
    {
        Phases.Ready => Ansi.Green,
        Phases.Failed or Phases.Degraded or Phases.Expired => Ansi.Red,
        Phases.Suspended or Phases.Expiring or Phases.Terminating => Ansi.Yellow,
        _ => null,
    };
}
