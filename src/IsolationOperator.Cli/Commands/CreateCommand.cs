using System.CommandLine;
using IsolationOperator.Api.V1Alpha1;
using IsolationOperator.Cli.Kube;
using IsolationOperator.Cli.Model;
using IsolationOperator.Cli.Rendering;

namespace IsolationOperator.Cli.Commands;

/// <summary>create NAME --prospect ...: builds the DemoTenant, applies it, waits for Ready.</summary>
public static class CreateCommand
{
    public static Command Build(Verbs verbs)
    {
        var name = verbs.Name("Name of the new demo (a DNS label; the namespace is demo-NAME)");
        var prospect = new Option<string>("--prospect") { Description = "The prospect's display name", Required = true };
        var owner = new Option<string?>("--owner") { Description = "The accountable sales engineer (default: you, when your kubeconfig's client certificate says who)" };
        var ttl = new Option<string?>("--ttl") { Description = "Lifetime from creation: 7d, 36h, 90m (default: the platform's)" };
        var profile = new Option<string?>("--profile") { Description = "Quota profile" };
        profile.AcceptOnlyFromAmong("small", "medium", "large");
        var grant = new Option<string[]>("--grant") { Description = "Access: group:NAME=ROLE or user:NAME=ROLE (admin|edit|view); repeatable", AllowMultipleArgumentsPerToken = false };
        var guest = new Option<string[]>("--guest") { Description = "A guest without an account: NAME=ROLE (kubectl demo kubeconfig issues their kubeconfig); repeatable" };
        var secret = new Option<string[]>("--secret") { Description = "A generated Secret: NAME:KEY[,KEY...]; repeatable" };
        var label = new Option<string[]>("--label") { Description = "A label on the DemoTenant: KEY=VALUE; repeatable" };
        var dryRun = new Option<bool>("--dry-run") { Description = "Print the DemoTenant (YAML, or --output json) instead of creating it" };
        var noWait = Verbs.NoWait("Ready");
        var timeout = Verbs.Timeout("Ready");
        var command = new Command("create", "Create a demo and wait until it is Ready; prints its namespace and expiry")
        {
            name, prospect, owner, ttl, profile, grant, guest, secret, label, dryRun, noWait, timeout,
        };
        verbs.Run(command, async (s, ct) =>
        {
            var request = new CreateRequest
            {
                Name = s.Get(name)!,
                Prospect = s.Get(prospect)!,
                Owner = s.Get(owner) ?? s.Target.Identity()
                    ?? throw new CliException("pass --owner: your kubeconfig does not say who you are (no client certificate)"),
                Ttl = s.Get(ttl),
                Profile = s.Get(profile),
                Grants = s.Get(grant) ?? [],
                Guests = s.Get(guest) ?? [],
                Secrets = s.Get(secret) ?? [],
                Labels = s.Get(label) ?? [],
            };
            var tenant = request.ToTenant();
            if (s.Get(dryRun))
            {
                await s.Out.WriteAsync(OutputFormat.Render(tenant, s.Output ?? "yaml"));
                return ExitCode.Ok;
            }
            var created = await s.Api.CreateAsync(tenant, serverDryRun: false, ct);
            if (!s.Get(noWait))
            {
                created = await WaitForAsync(s, created.Metadata.Name, Phases.Ready, s.Get(timeout), ct);
            }
            await s.WriteAsync(created, () => created.Status?.Phase is Phases.Ready or Phases.Expiring
                ? $"demo {created.Metadata.Name} is {created.Status.Phase}: namespace {TenantText.Namespace(created)}, {TenantText.Expiry(created, s.Now)}\n"
                : $"demo {created.Metadata.Name} created: namespace {TenantText.Namespace(created)} (not waiting for Ready)\n");
            return ExitCode.Ok;
        });
        return command;
    }

    /// <summary>Waits for the phase with the operator having seen the latest spec; a Failed demo ends the wait with its reason.</summary>
    public static async Task<DemoTenant> WaitForAsync(Session s, string name, string phase, TimeSpan timeout, CancellationToken ct)
    {
        DemoTenant? last = null;
        await Progress.WaitAsync(s.Console, $"waiting for {name} to be {phase}", timeout, async c =>
        {
            last = (await s.Api.GetAsync(name, c)).Tenant;
            // Failed and Degraded wait for a person (a spec to fix, a foreign binding to remove): say why instead of waiting.
            if (last.Status?.Phase is Phases.Failed or Phases.Degraded && TenantText.Observed(last) && phase != last.Status.Phase)
                throw new CliException($"demo {name} is {last.Status.Phase}: {TenantText.ConditionMessage(last, ConditionTypes.Ready) ?? "see kubectl demo describe " + name}", ExitCode.CheckFailed);
            return new Progress.Step(Reached(last.Status?.Phase, phase) && TenantText.Observed(last), TenantText.State(last));
        }, ct);
        return last!;
    }

    /// <summary>A demo within its expiry warning window is Expiring, yet as provisioned and usable as a Ready one.</summary>
    private static bool Reached(string? actual, string wanted) => actual == wanted || (wanted == Phases.Ready && actual == Phases.Expiring);
}
