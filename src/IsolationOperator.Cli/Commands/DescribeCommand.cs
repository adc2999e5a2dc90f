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
            try { events = await TenantEvents.ListAsync(s.Api.Client, tenant, 15, ct); }
            catch (Exception e) when (ApiErrors.IsForbidden(e))
            {
                notShown.Add($"events: not shown, your account may not list events in {IsolationOperator.Engine.EventRecorder.EventNamespace}");
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
                notShown.Add($"audit: not shown, your account may not read ConfigMaps in {ns} (security and platform admins can: kubectl demo audit {tenant.Metadata.Name})");
            }
            var data = new DescribeData(tenant, events, records, notShown);
            await s.WriteAsync(new { tenant, events, audit = records, notShown }, () => data.Render(s.Now, s.Console.Colour));
            return ExitCode.Ok;
        });
        return command;
    }
}
