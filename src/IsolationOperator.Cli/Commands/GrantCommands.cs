using System.CommandLine;
using IsolationOperator.Cli.Kube;
using IsolationOperator.Cli.Model;

namespace IsolationOperator.Cli.Commands;

/// <summary>grant NAME KIND:NAME=ROLE [--expires DATE] and revoke NAME KIND:NAME: edit spec.access, then wait for the operator.</summary>
public static class GrantCommands
{
    public static Command BuildGrant(Verbs verbs)
    {
        var name = verbs.Name();
        var who = new Argument<string>("ACCESS") { Description = "group:NAME=ROLE, user:NAME=ROLE or guest:NAME=ROLE (ROLE: admin, edit or view)" };
        var expires = new Option<DateTimeOffset?>("--expires") { Description = "When this access ends (2026-12-24 or an RFC 3339 time)", CustomParser = r => Verbs.Moment(r, "--expires") };
        var timeout = Verbs.Timeout("the operator to apply it");
        var command = new Command("grant", "Give a group, user or guest a role in a demo (changes it if they already have one)") { name, who, expires, timeout };
        verbs.Run(command, async (s, ct) =>
        {
            var access = AccessArg.Parse(s.Get(who)!, roleRequired: true);
            var at = s.Get(expires);
            var tenant = await ApplyAsync(s, s.Get(name)!, raw => SpecPatches.Grant(raw, access, at), s.Get(timeout), ct);
            await s.WriteAsync(tenant, () => $"granted {access} on {tenant.Metadata.Name}{(at is { } e ? $" until {DemoDuration.Rfc3339(e)}" : "")}" +
                (access.Kind == "Guest" ? $"; issue their kubeconfig: kubectl demo kubeconfig {tenant.Metadata.Name} --guest {access.Name}" : "") + "\n");
            return ExitCode.Ok;
        });
        return command;
    }

    public static Command BuildRevoke(Verbs verbs)
    {
        var name = verbs.Name();
        var who = new Argument<string>("ACCESS") { Description = "group:NAME, user:NAME or guest:NAME" };
        var timeout = Verbs.Timeout("the operator to apply it");
        var command = new Command("revoke", "Take a group's, user's or guest's access away (a guest's tokens stop working at once)") { name, who, timeout };
        verbs.Run(command, async (s, ct) =>
        {
            var access = AccessArg.Parse(s.Get(who)!, roleRequired: false);
            var tenantName = s.Get(name)!;
            var tenant = await ApplyAsync(s, tenantName, raw => SpecPatches.Revoke(raw, access, tenantName), s.Get(timeout), ct);
            await s.WriteAsync(tenant, () => $"revoked {access} on {tenant.Metadata.Name}\n");
            return ExitCode.Ok;
        });
        return command;
    }

    private static async Task<Api.V1Alpha1.DemoTenant> ApplyAsync(Session s, string tenantName, Func<System.Text.Json.Nodes.JsonArray?, System.Text.Json.Nodes.JsonArray> change,
        TimeSpan timeout, CancellationToken ct)
    {
        var patched = await s.Api.UpdateAsync(tenantName, (t, raw) => SpecPatches.Access(change(raw["spec"]?["access"]?.AsArray()), t.Metadata.ResourceVersion), ct);
        var generation = patched.Metadata.Generation;
        var shown = patched;
        await Progress.WaitAsync(s.Console, $"waiting for the operator to apply it to {tenantName}", timeout, async c =>
        {
            shown = (await s.Api.GetAsync(tenantName, c)).Tenant;
            var seen = shown.Status?.ObservedGeneration >= generation;
            return new Progress.Step(seen, seen ? "done" : "not yet seen by the operator");
        }, ct);
        return shown;
    }
}
