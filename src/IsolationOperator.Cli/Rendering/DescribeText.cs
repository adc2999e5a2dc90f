using System.Globalization;
using System.Text;
using IsolationOperator.Api.V1Alpha1;
using IsolationOperator.Audit;
using IsolationOperator.Cli.Kube;
using IsolationOperator.Cli.Model;

namespace IsolationOperator.Cli.Rendering;

/// <summary>What describe shows of one demo, in sections; a section the caller may not read is one line saying so.</summary>
/// <param name="EventsFrom">Set when the events are the demo namespace's own rather than the operator's.</param>
public sealed record DescribeData(DemoTenant Tenant, IReadOnlyList<TenantEvents.Item>? Events, IReadOnlyList<AuditRecord>? Audit, IReadOnlyList<string> NotShown,
    string? EventsFrom = null)
{
    public string Render(DateTimeOffset now, bool colour)
    {
        var t = Tenant;
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"Name:       {t.Metadata.Name}\n");
        sb.Append(CultureInfo.InvariantCulture, $"Prospect:   {t.Spec.Prospect}\n");
        sb.Append(CultureInfo.InvariantCulture, $"Owner:      {t.Spec.Owner}\n");
        sb.Append(CultureInfo.InvariantCulture, $"Phase:      {t.Status?.Phase ?? "Pending"}{(t.Spec.Suspended == true ? " (suspended)" : "")}\n");
        sb.Append(CultureInfo.InvariantCulture, $"Namespace:  {t.Status?.Namespace ?? "(not yet)"}\n");
        sb.Append(CultureInfo.InvariantCulture, $"Expires:    {(t.Status?.ExpiresAt is { } at ? $"{DemoDuration.Rfc3339(at)} (in {Countdown.Format(at, now)})" : "never")}\n");
        if (t.Status?.ExtendedAt is { } ext) sb.Append(CultureInfo.InvariantCulture, $"Extended:   {DemoDuration.Rfc3339(ext)} by {t.Status.ExtendedBy ?? "?"}\n");

        sb.Append("\nConditions:\n");
        var conditions = new Table("TYPE", "STATUS", "REASON", "MESSAGE");
        foreach (var c in t.Status?.Conditions ?? [])
            conditions.Add(c.Type, new Table.Cell(c.Status, c.Status == "True" ? Ansi.Green : c.Status == "False" ? Ansi.Red : null), c.Reason ?? "", c.Message ?? "");
        sb.Append(Indent(conditions.Render(colour)));

        sb.Append("\nAccess:\n");
        var access = new Table("KIND", "NAME", "ROLE", "EXPIRES");
        foreach (var a in t.Spec.Access ?? [])
        {
            var guest = a.Kind == "Guest" ? t.Status?.Guests?.FirstOrDefault(g => g.Name == a.Name) : null;
            var ends = guest?.ExpiresAt ?? a.ExpiresAt;
            var when = ends is { } e ? $"{DemoDuration.Rfc3339(e)} (in {Countdown.Format(e, now)})" : "with the demo";
            if (a.Kind == "Guest") when += guest is null ? "  [not in force]" : $"  [ServiceAccount {guest.ServiceAccount}]";
            access.Add(a.Kind, a.Name, a.Role, when);
        }
        sb.Append(Indent(access.Render(colour)));

        if (t.Status?.Verification is { } v)
        {
            sb.Append(CultureInfo.InvariantCulture, $"\nVerification: {(v.Time is { } vt ? DemoDuration.Rfc3339(vt) : "?")}, {v.ChecksRun ?? 0} checks, {v.Failed?.Count ?? 0} failed, {v.Paths?.Count ?? 0} paths\n");
            foreach (var f in v.Failed ?? []) sb.Append(CultureInfo.InvariantCulture, $"  failed  {f}\n");
            foreach (var p in v.Paths ?? []) sb.Append(CultureInfo.InvariantCulture, $"  path    {p.Kind} {(p.Namespace is null ? "" : p.Namespace + "/")}{p.Name}: {p.Opens}\n");
        }

        if (Events is not null)
        {
            sb.Append(EventsFrom is null ? "\nEvents (recent):\n" : $"\nEvents in {EventsFrom} (recent):\n");
            var events = new Table("TIME (UTC)", "TYPE", "REASON", "NOTE");
            foreach (var e in Events)
                events.Add(e.Time is { } et ? DemoDuration.Rfc3339(et) : "?", new Table.Cell(e.Type, e.Type == "Warning" ? Ansi.Yellow : null), e.Reason,
                    e.Count > 1 ? $"{e.Note} (x{e.Count})" : e.Note);
            sb.Append(Events.Count == 0 ? "  none\n" : Indent(events.Render(colour)));
        }

        if (Audit is not null)
        {
            sb.Append("\nAudit timeline:\n");
            var audit = new Table("SEQ", "TIME (UTC)", "ACTION", "BY", "WHAT");
            foreach (var r in Audit)
                audit.Add(r.Seq.ToString(CultureInfo.InvariantCulture), DemoDuration.Rfc3339(r.Time), r.Action, r.Requester?.User ?? "(operator)",
                    string.Join(", ", r.Objects.Prepend(r.Reason).Where(x => x.Length > 0)));
            sb.Append(Audit.Count == 0 ? "  none\n" : Indent(audit.Render(colour)));
        }
        else if (t.Status?.Audit?.Recent is { Count: > 0 } recent)
        {
            sb.Append(CultureInfo.InvariantCulture, $"\nAudit timeline (newest {recent.Count} of {t.Status.Audit.Records}, from status):\n");
            var audit = new Table("SEQ", "TIME (UTC)", "ACTION", "BY", "WHAT");
            foreach (var r in recent)
                audit.Add(r.Seq.ToString(CultureInfo.InvariantCulture), r.Time is { } rt ? DemoDuration.Rfc3339(rt) : "?", r.Action, r.By ?? "(operator)", string.Join(", ", r.Objects ?? []));
            sb.Append(Indent(audit.Render(colour)));
        }

        if (NotShown.Count > 0) sb.Append('\n');
        foreach (var n in NotShown) sb.Append(n).Append('\n');
        return sb.ToString();
    }

    private static string Indent(string text) => string.Concat(text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => "  " + l + "\n"));
}
