using System.CommandLine;
using IsolationOperator.Api.V1Alpha1;
using IsolationOperator.Cli.Model;

namespace IsolationOperator.Cli.Commands;

/// <summary>suspend NAME / resume NAME: spec.suspended true or false, then waits for Suspended or Ready.</summary>
public static class SuspendCommands
{
    public static Command Build(Verbs verbs, bool suspend)
    {
        var name = verbs.Name();
        var phase = suspend ? Phases.Suspended : Phases.Ready;
        var noWait = Verbs.NoWait(phase);
        var timeout = Verbs.Timeout(phase);
        var command = new Command(suspend ? "suspend" : "resume", suspend
            ? "Pause a demo: its workloads stop and its access is withdrawn until resume"
            : "Resume a suspended demo: access and workloads come back") { name, noWait, timeout };
        verbs.Run(command, async (s, ct) =>
        {
            var tenantName = s.Get(name)!;
            var tenant = await s.Api.PatchAsync(tenantName, SpecPatches.Suspended(suspend), ct);
            if (!s.Get(noWait)) tenant = await CreateCommand.WaitForAsync(s, tenantName, phase, s.Get(timeout), ct);
            await s.WriteAsync(tenant, () => $"{tenantName} {(suspend ? "suspended" : "resumed")}: {tenant.Status?.Phase}\n");
            return ExitCode.Ok;
        });
        return command;
    }
}
