using System.CommandLine;
using IsolationOperator.Audit;
using IsolationOperator.Cli.Kube;
using IsolationOperator.Cli.Rendering;

namespace IsolationOperator.Cli.Commands;

/// <summary>describe NAME: conditions, access and guests with their expiries, recent events, the audit timeline.</summary>
public static class DescribeCommand
{
    public static Command Build(Verbs verbs)
    {
        var name = verbs.Name();
        var audit = new AuditLocation();
        var command = new Command("describe", "Show a demo: conditions, access with expiries, recent events and the audit timeline") { name, audit.Namespace };
        verbs.Run(command, async (s, ct) =>
        {
            var (tenant, _) = await s.Api.GetAsync(s.Get(name)!, ct);
            var notShown = new List<string>();
            IReadOnlyList<TenantEvents.Item>? events = null;
            string? eventsFrom = null;
            try { events = await TenantEvents.ListAsync(s.Api.Client, tenant, 15, ct); }
            catch (Exception e) when (ApiErrors.IsForbidden(e))
            {
                // The operator's events live in kube-system; the demo's own namespace is the sales engineer's to read.
                var demoNs = tenant.Status?.Namespace;
                try
                {
                    if (demoNs is not null) (events, eventsFrom) = (await TenantEvents.ListInNamespaceAsync(s.Api.Client, demoNs, 15, ct), demoNs);
                }
                catch (Exception inner) when (ApiErrors.IsForbidden(inner)) { }
                notShown.Add($"events: the operator's are not shown, your account may not list events in {IsolationOperator.Engine.EventRecorder.EventNamespace}" +
                             (eventsFrom is null ? "" : $"; those above are namespace {eventsFrom}'s own"));
            }
            IReadOnlyList<AuditRecord>? records = null;
            var ns = s.Get(audit.Namespace)!;
            try
            {
                var trail = await new AuditStore(s.Api.Client, ns).ReadTrailAsync(tenant.Metadata.Uid, ct);
                if (trail is null) notShown.Add($"audit: no trail for this demo in namespace {ns} (is --audit-namespace the operator's namespace?)");
                else records = trail.Records;
            }
            catch (Exception e) when (ApiErrors.IsForbidden(e))
            {
                notShown.Add(tenant.Status?.Audit?.Recent is { Count: > 0 } recent
                    ? $"audit: the timeline above is the newest {recent.Count} of {tenant.Status.Audit.Records} records, from the demo's status; the signed trail is in ConfigMaps in {ns}, which your account may not read (security and platform admins: kubectl demo audit {tenant.Metadata.Name})"
                    : $"audit: not shown, your account may not read ConfigMaps in {ns} (security and platform admins can: kubectl demo audit {tenant.Metadata.Name})");
            }
            var data = new DescribeData(tenant, events, records, notShown, eventsFrom);
            await s.WriteAsync(new { tenant, events, audit = records, notShown }, () => data.Render(s.Now, s.Console.Colour));
            return ExitCode.Ok;
        });
        return command;
    }
}
