using System.CommandLine;
using System.Globalization;
using System.Text;
using IsolationOperator.Api.V1Alpha1;
using IsolationOperator.Cli.Kube;
using IsolationOperator.Cli.Model;
using IsolationOperator.Verification;

namespace IsolationOperator.Cli.Commands;

/// <summary>
/// verify NAME: the operator's isolation verifier (VerifyCommand's library code) run now when the caller may
/// (SubjectAccessReviews, cluster-wide RBAC reads); otherwise the operator's last verdict from status. Exit 0 verified, 1 not.
/// </summary>
public static class VerifyVerb
{
    public static Command Build(Verbs verbs)
    {
        var name = verbs.Name();
        var lastOnly = new Option<bool>("--last") { Description = "Show the operator's last verdict even if you may run the verifier" };
        var command = new Command("verify", "Check a demo's isolation now (needs rights to create SubjectAccessReviews and list ClusterRoleBindings), else show the operator's last verdict; exit 0 verified, 1 not") { name, lastOnly };
        verbs.Run(command, async (s, ct) =>
        {
            var tenantName = s.Get(name)!;
            var (tenant, _) = await s.Api.GetAsync(tenantName, ct);
            if (!s.Get(lastOnly) && await SelfAccess.MayRunVerifierAsync(s.Api.Client, ct))
            {
                var rows = await VerifyCommand.VerifyTenantsAsync(s.Api.Client, tenantName, ct)
                    ?? throw new CliException($"no DemoTenant named {tenantName}", ExitCode.ForbiddenOrNotFound);
                var row = rows.Single();
                await s.WriteAsync(row, () =>
                {
                    using var w = new StringWriter(CultureInfo.InvariantCulture);
                    VerifyCommand.WriteTableAsync(w, rows).GetAwaiter().GetResult();
                    return w + (row.Result == VerifyCommand.Skipped ? $"not verified: {row.Reachability}\n" : "");
                });
                return row.Result == VerifyCommand.Verified ? ExitCode.Ok : ExitCode.CheckFailed;
            }
            var verdict = LastVerdict.Of(tenant);
            await s.WriteAsync(verdict, () => verdict.Render(tenantName));
            return verdict.Verified ? ExitCode.Ok : ExitCode.CheckFailed;
        });
        return command;
    }
}

/// <summary>The operator's last verification of a demo, as its status holds it (IsolationVerified and status.verification).</summary>
public sealed record LastVerdict(bool Verified, string Condition, string? Reason, string? Message, VerificationStatus? Verification)
{
    public static LastVerdict Of(DemoTenant t)
    {
        var c = t.Status?.Conditions?.FirstOrDefault(x => x.Type == ConditionTypes.IsolationVerified);
        return new LastVerdict(c?.Status == "True", c?.Status ?? "Unknown", c?.Reason, c?.Message, t.Status?.Verification);
    }

    public string Render(string tenant)
    {
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"showing the operator's last verdict: you may not run the verifier yourself (it needs to create SubjectAccessReviews and list ClusterRoleBindings)\n");
        sb.Append(CultureInfo.InvariantCulture, $"{tenant}: IsolationVerified={Condition}{(Reason is null ? "" : $" ({Reason})")}{(string.IsNullOrEmpty(Message) ? "" : ": " + Message)}\n");
        if (Verification is { } v)
        {
            sb.Append(CultureInfo.InvariantCulture, $"last run {(v.Time is { } t ? DemoDuration.Rfc3339(t) : "?")}: {v.ChecksRun ?? 0} checks, {v.Failed?.Count ?? 0} failed, {v.Paths?.Count ?? 0} paths\n");
            foreach (var f in v.Failed ?? []) sb.Append(CultureInfo.InvariantCulture, $"  check  {f}\n");
            foreach (var p in v.Paths ?? [])
                sb.Append(CultureInfo.InvariantCulture, $"  path   {p.Kind} {(p.Namespace is null ? "" : p.Namespace + "/")}{p.Name}: {p.Opens}{(p.ChangedBy is null ? "" : $" (last changed by {p.ChangedBy})")}\n");
        }
        else sb.Append("the operator has not verified this demo yet\n");
        sb.Append(Verified ? "verified\n" : "NOT verified\n");
        return sb.ToString();
    }
}
