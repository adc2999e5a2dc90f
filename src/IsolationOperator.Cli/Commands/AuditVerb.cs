using System.CommandLine;
using System.Globalization;
using IsolationOperator.Audit;
using IsolationOperator.Cli.Kube;
using IsolationOperator.Cli.Rendering;

namespace IsolationOperator.Cli.Commands;

/// <summary>
/// audit NAME [--verify]: the demo's audit trail through AuditCommand's library code. --verify checks the hash chain
/// against status.audit.head, and the HMACs when the caller may read the key Secret.
/// </summary>
public static class AuditVerb
{
    public static Command Build(Verbs verbs)
    {
        var name = verbs.Name();
        var verify = new Option<bool>("--verify") { Description = "Check the hash chain against the demo's status.audit head (and the HMACs, if you may read the key); exit 1 when broken" };
        var location = new AuditLocation();
        var command = new Command("audit", "Show a demo's audit trail (needs read access to the operator's namespace)") { name, verify, location.Namespace, location.KeySecret };
        verbs.Run(command, async (s, ct) =>
        {
            var (tenant, _) = await s.Api.GetAsync(s.Get(name)!, ct);
            var ns = s.Get(location.Namespace)!;
            var keySecret = s.Get(location.KeySecret)!;
            var check = s.Get(verify);
            AuditCommand.TrailResult? result;
            IReadOnlyDictionary<string, byte[]>? keys = null;
            try
            {
                if (check) keys = await new AuditKeys(s.Api.Client, ns, keySecret, s.Time).AllAsync(ct);
                var expected = check && tenant.Status?.Audit is { Head: { } head } a ? new ChainHead(a.Records, head) : null;
                result = await AuditCommand.CheckTrailAsync(s.Api.Client, new AuditStore(s.Api.Client, ns), tenant.Metadata.Uid, keys, expected, ct);
            }
            catch (Exception e) when (ApiErrors.IsForbidden(e))
            {
                throw new CliException($"audit: not shown, your account may not read ConfigMaps in {ns} (the audit trail is for security and platform admins)", ExitCode.ForbiddenOrNotFound);
            }
            if (result is null)
                throw new CliException($"no audit trail for {tenant.Metadata.Name} in namespace {ns} (is --audit-namespace the operator's namespace?)", ExitCode.ForbiddenOrNotFound);
            var results = new[] { result };
            var json = s.Output is not null;
            using var w = new StringWriter(CultureInfo.InvariantCulture);
            if (check) await AuditCommand.VerifyAsync(w, results, json, keys is not null, ns, keySecret);
            else await AuditCommand.ShowAsync(w, results, json);
            await s.Out.WriteAsync(s.Output == "yaml" ? YamlText.From(System.Text.Json.Nodes.JsonNode.Parse(w.ToString())) : w.ToString());
            return !check || result.Ok ? ExitCode.Ok : ExitCode.CheckFailed;
        });
        return command;
    }
}
