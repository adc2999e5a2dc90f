using k8s;
using System.CommandLine;
using IsolationOperator.Cli.Kube;

namespace IsolationOperator.Cli.Commands;

/// <summary>delete NAME: asks on a terminal (--yes otherwise), deletes, waits until the demo and its namespace are gone.</summary>
public static class DeleteCommand
{
    public static Command Build(Verbs verbs)
    {
        var name = verbs.Name();
        var yes = new Option<bool>("--yes", "-y") { Description = "Do not ask (required when stdin is not a terminal)" };
        var noWait = Verbs.NoWait("the namespace to go");
        var timeout = Verbs.Timeout("the namespace to go");
        var command = new Command("delete", "Delete a demo and wait until its namespace is gone") { name, yes, noWait, timeout };
        verbs.Run(command, async (s, ct) =>
        {
            var tenantName = s.Get(name)!;
            // Refused before any request: a script without --yes must not depend on the cluster to fail safe.
            if (!s.Get(yes) && !s.Console.InputIsTerminal) throw new CliException($"not deleting {tenantName} without confirmation: stdin is not a terminal, so pass --yes");
            var (tenant, _) = await s.Api.GetAsync(tenantName, ct);
            var ns = TenantText.Namespace(tenant);
            if (!s.Get(yes))
            {
                await s.Err.WriteAsync($"delete demo {tenantName} ({tenant.Spec.Prospect}) and everything in namespace {ns}? [y/N] ");
                var answer = (await s.Console.In.ReadLineAsync(ct))?.Trim().ToLowerInvariant();
                if (answer is not ("y" or "yes"))
                {
                    await s.Err.WriteLineAsync("not deleted");
                    return ExitCode.CheckFailed;
                }
            }
            await s.Api.DeleteAsync(tenantName, ct);
            if (!s.Get(noWait))
            {
                await Progress.WaitAsync(s.Console, $"deleting {tenantName}", s.Get(timeout), async c =>
                {
                    // The operator removes its finalizer only once the namespace is gone, so the DemoTenant vanishing says
                    // it too; the namespace is also asked directly where the caller may read it.
                    var still = await s.Api.FindAsync(tenantName, c);
                    var nsGone = await NamespaceGoneAsync(s, ns, c);
                    return new Progress.Step(still is null && nsGone != false,
                        still is null ? (nsGone == false ? $"namespace {ns} terminating" : "gone") : $"namespace {ns} {(nsGone == true ? "gone" : "terminating")}, DemoTenant {still.Status?.Phase ?? "deleting"}");
                }, ct);
            }
            await s.WriteAsync(new { deleted = tenantName, @namespace = ns, waited = !s.Get(noWait) }, () => s.Get(noWait)
                ? $"deleting {tenantName}; namespace {ns} goes with it\n"
                : $"deleted {tenantName} and namespace {ns}\n");
            return ExitCode.Ok;
        });
        return command;
    }

    /// <summary>True gone, false still there, null: may not ask.</summary>
    private static async Task<bool?> NamespaceGoneAsync(Session s, string ns, CancellationToken ct)
    {
        try
        {
            await s.Api.Client.CoreV1.ReadNamespaceAsync(ns, cancellationToken: ct);
            return false;
        }
        catch (Exception e) when (ApiErrors.IsNotFound(e)) { return true; }
        catch (Exception e) when (ApiErrors.IsForbidden(e)) { return null; }
    }
}
