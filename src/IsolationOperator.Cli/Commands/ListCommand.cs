using System.CommandLine;
using IsolationOperator.Api.V1Alpha1;
using IsolationOperator.Cli.Rendering;

namespace IsolationOperator.Cli.Commands;

/// <summary>list [--mine] [--expiring 48h]: the demos as a table.</summary>
public static class ListCommand
{
    public static Command Build(Verbs verbs)
    {
        var mine = new Option<bool>("--mine") { Description = "Only demos you own or created (you: your kubeconfig's client certificate, or --owner)" };
        var owner = new Option<string?>("--owner") { Description = "Only demos with this owner (spec.owner)" };
        var expiring = new Option<TimeSpan?>("--expiring") { Description = "Only demos that expire within this time (e.g. 48h, 7d)", CustomParser = r => Verbs.Duration(r, "--expiring") };
        var command = new Command("list", "List demos: prospect, phase, owner, time left, access entries, isolation verified") { mine, owner, expiring };
        command.Aliases.Add("ls");
        verbs.Run(command, async (s, ct) =>
        {
            var who = s.Get(owner);
            if (s.Get(mine) && who is null)
                who = s.Target.Identity() ?? throw new CliException("--mine: your kubeconfig does not say who you are (no client certificate); use --owner NAME");
            var tenants = Filter(await s.Api.ListAsync(ct), who, s.Get(expiring), s.Now);
            await s.WriteAsync(new DemoTenantList { Items = tenants.ToList() }, () => tenants.Count == 0
                ? "no demos" + (who is null && s.Get(expiring) is null ? "" : " match") + "\n"
                : TenantTable.Render(tenants, s.Now, s.Console.Colour));
            return ExitCode.Ok;
        });
        return command;
    }

    /// <summary>Owned: spec.owner is the person, or the admission webhook recorded them as its creator.</summary>
    public static IReadOnlyList<DemoTenant> Filter(IEnumerable<DemoTenant> tenants, string? owner, TimeSpan? expiringWithin, DateTimeOffset now) =>
        tenants.Where(t => owner is null || string.Equals(t.Spec.Owner, owner, StringComparison.OrdinalIgnoreCase) || t.Status?.RequestedBy?.User == owner)
            .Where(t => expiringWithin is null || (t.Status?.ExpiresAt is { } at && at - now <= expiringWithin.Value))
            .ToList();
}
