using System.CommandLine;
using IsolationOperator.Cli.Kube;
using IsolationOperator.Cli.Model;

namespace IsolationOperator.Cli.Commands;

/// <summary>extend NAME --by 3d | --until DATE: moves the demo's expiry (spec.expiresAt, or spec.ttl when that is what sets it).</summary>
public static class ExtendCommand
{
    public static Command Build(Verbs verbs)
    {
        var name = verbs.Name();
        var by = new Option<TimeSpan?>("--by") { Description = "Move the expiry later by this much (3d, 12h)", CustomParser = r => Verbs.Duration(r, "--by") };
        var until = new Option<DateTimeOffset?>("--until") { Description = "The new expiry (2026-12-24 or 2026-12-24T18:00:00Z)", CustomParser = r => Verbs.Moment(r, "--until") };
        var timeout = Verbs.Timeout("the operator to show the new expiry");
        var command = new Command("extend", "Move a demo's expiry: --by 3d or --until DATE") { name, by, until, timeout };
        command.Validators.Add(r =>
        {
            if ((r.GetResult(by) is null) == (r.GetResult(until) is null)) r.AddError("give exactly one of --by DURATION or --until DATE");
        });
        verbs.Run(command, async (s, ct) =>
        {
            var tenantName = s.Get(name)!;
            var before = (await s.Api.GetAsync(tenantName, ct)).Tenant.Status?.ExpiresAt;
            var patched = await s.Api.UpdateAsync(tenantName, (_, raw) => SpecPatches.Extend(raw["spec"]?.AsObject(), s.Get(by), s.Get(until), tenantName), ct);
            var generation = patched.Metadata.Generation;
            var shown = patched;
            await Progress.WaitAsync(s.Console, $"waiting for the operator to move {tenantName}'s expiry", s.Get(timeout), async c =>
            {
                shown = (await s.Api.GetAsync(tenantName, c)).Tenant;
                var seen = shown.Status?.ObservedGeneration >= generation;
                return new Progress.Step(seen, seen ? "done" : "not yet seen by the operator");
            }, ct);
            await s.WriteAsync(shown, () => $"{tenantName} {TenantText.Expiry(shown, s.Now)}" +
                (before is { } b ? $" (was {DemoDuration.Rfc3339(b)})" : "") + "\n");
            return ExitCode.Ok;
        });
        return command;
    }
}
