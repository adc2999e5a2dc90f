using System.Globalization;
using System.Text.Json;
using IsolationOperator.Api.V1Alpha1;
using IsolationOperator.Hosting;
using k8s;

namespace IsolationOperator.Audit;

/// <summary>
/// <c>isolation-operator audit show TENANT [--json]</c>, <c>audit verify [TENANT] [--json]</c> and <c>audit rotate-key</c>,
/// with the caller's kubeconfig (who may read the operator's namespace: security and audit, platform admins).
/// <c>--namespace NS</c> (else Operator__Audit__Namespace, else isolation-system) and <c>--key-secret NAME</c> (else
/// Operator__Audit__KeySecret, else isolation-operator-audit-key) say where the trails are. Exit 0: shown, or every
/// chain verifies; 1: a chain does not verify (the first bad record is named); 2: could not run.
/// </summary>
public static class AuditCommand
{
    public const string Name = "audit";
    private const string Usage = "usage: isolation-operator audit show TENANT [--json] | audit verify [TENANT] [--json] | audit rotate-key   [--namespace NS] [--key-secret NAME]";

    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, CancellationToken ct = default)
    {
        var json = args.Contains("--json");
        string? Flag(string name) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();
        var ns = Flag("--namespace") ?? Environment.GetEnvironmentVariable("Operator__Audit__Namespace") ?? "isolation-system";
        var keySecret = Flag("--key-secret") ?? Environment.GetEnvironmentVariable("Operator__Audit__KeySecret") ?? new AuditOptions().KeySecret;
        var words = new List<string>();
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] is "--namespace" or "--key-secret") { i++; continue; }
            if (args[i] == "--json") continue;
            if (args[i].StartsWith("--", StringComparison.Ordinal)) { await error.WriteLineAsync($"unknown flag {args[i]}\n{Usage}"); return ExitCodes.StartFailed; }
            words.Add(args[i]);
        }
        var verb = words.FirstOrDefault();
        var tenant = words.Skip(1).FirstOrDefault();
        if (verb is not ("show" or "verify" or "rotate-key") || (verb == "show" && tenant is null) || words.Count > 2)
        {
            await error.WriteLineAsync(Usage);
            return ExitCodes.StartFailed;
        }
        try
        {
            var client = KubernetesConnection.NewClient(KubernetesConnection.LoadConfig());
            var store = new AuditStore(client, ns);
            var keys = new AuditKeys(client, ns, keySecret, TimeProvider.System);
            if (verb == "rotate-key")
            {
                await output.WriteLineAsync($"audit key {ns}/{keySecret}: new records are signed with {await keys.RotateAsync(ct)}; older versions stay for verification");
                return 0;
            }
            var heads = (await store.ListHeadsAsync(ct)).Where(h => tenant is null || h.Tenant == tenant).ToList();
            if (heads.Count == 0)
            {
                await error.WriteLineAsync(tenant is null ? $"no audit trails in namespace {ns}" : $"no audit trail for DemoTenant {tenant} in namespace {ns}");
                return ExitCodes.StartFailed;
            }
            var allKeys = await keys.AllAsync(ct);
            var results = new List<TrailResult>();
            foreach (var h in heads)
                if (await CheckTrailAsync(client, store, h.Uid, allKeys, null, ct) is { } checkedTrail) results.Add(checkedTrail);
            results = results.OrderBy(r => r.Trail.Records.FirstOrDefault()?.Time ?? DateTimeOffset.MaxValue).ToList();
            if (verb == "show") await ShowAsync(output, results, json);
            else await VerifyAsync(output, results, json, allKeys is not null, ns, keySecret);
            return results.All(r => r.Ok) ? 0 : 1;
        }
        catch (Exception e) when (e is HttpRequestException or k8s.Autorest.HttpOperationException or k8s.Exceptions.KubeConfigException or InvalidOperationException)
        {
            await error.WriteLineAsync($"audit could not run: {e.Message}");
            return ExitCodes.StartFailed;
        }
    }

    /// <summary>One trail as read back and checked: the chain's verdict, and whether the DemoTenant's status.audit agrees with the store.</summary>
    public sealed record TrailResult(StoredTrail Trail, ChainVerdict Verdict, string? StatusProblem)
    {
        public bool Ok => Verdict.Ok && StatusProblem is null;
        public string? Problem => Verdict.Ok ? StatusProblem : Verdict.Problem;
    }

    /// <summary>
    /// Reads one demo's trail (by the DemoTenant's UID) and verifies its chain against the stored head, or against
    /// <paramref name="expectedHead"/> (status.audit) when given; HMACs only with <paramref name="keys"/>. Null: no trail.
    /// Shared with <c>kubectl demo audit</c>.
    /// </summary>
    public static async Task<TrailResult?> CheckTrailAsync(IKubernetes client, AuditStore store, string uid, IReadOnlyDictionary<string, byte[]>? keys,
        ChainHead? expectedHead, CancellationToken ct)
    {
        var trail = await store.ReadTrailAsync(uid, ct);
        if (trail is null) return null;
        var verdict = trail.Unreadable.Count > 0
            ? new ChainVerdict(false, trail.Records.Count, null, $"unreadable entries: {string.Join(", ", trail.Unreadable)}")
            : AuditChain.Verify(trail.Records, keys, expectedHead ?? trail.Head.Head);
        if (verdict.Ok && expectedHead is not null && expectedHead != trail.Head.Head)
            verdict = new ChainVerdict(false, trail.Records.Count, null, $"the store's head ({trail.Head.Seq} records, {AuditChain.Short(trail.Head.Hash)}) differs from status.audit");
        return new TrailResult(trail, verdict, await StatusProblemAsync(client, trail, ct));
    }

    /// <summary>The DemoTenant's status.audit (while it exists) must agree with the stored head: a store rolled back shows.</summary>
    private static async Task<string?> StatusProblemAsync(IKubernetes client, StoredTrail trail, CancellationToken ct)
    {
        try
        {
            var raw = await client.CustomObjects.GetClusterCustomObjectAsync(DemoTenant.Group, DemoTenant.Version, DemoTenant.Plural, trail.Head.Tenant, ct);
            var t = KubernetesJson.Deserialize<DemoTenant>(KubernetesJson.Serialize(raw));
            if (t.Metadata.Uid != trail.Head.Uid || t.Status?.Audit is not { } shown) return null;
            return shown.Records > trail.Head.Seq
                ? $"status.audit says {shown.Records} records but the store holds {trail.Head.Seq}: records were removed from the store"
                : null;
        }
        catch (k8s.Autorest.HttpOperationException e) when (e.Response.StatusCode == System.Net.HttpStatusCode.NotFound) { return null; }
    }

    public static async Task ShowAsync(TextWriter o, IReadOnlyList<TrailResult> results, bool json)
    {
        if (json)
        {
            await o.WriteLineAsync(JsonSerializer.Serialize(results.Select(r => new
            {
                tenant = r.Trail.Head.Tenant, uid = r.Trail.Head.Uid, verified = r.Verdict.Ok && r.StatusProblem is null,
                problem = r.Verdict.Ok ? r.StatusProblem : r.Verdict.Problem, records = r.Trail.Records,
            }), new JsonSerializerOptions { WriteIndented = true }));
            return;
        }
        foreach (var (trail, verdict, statusProblem) in results)
        {
            await o.WriteLineAsync($"DemoTenant {trail.Head.Tenant} (uid {trail.Head.Uid}): {trail.Records.Count} records, head {AuditChain.Short(trail.Head.Hash)}, " +
                                   (verdict.Ok && statusProblem is null ? "chain verified" : $"CHAIN BROKEN: {(verdict.Ok ? statusProblem : verdict.Problem)}"));
            await o.WriteLineAsync($"{"SEQ",4}  {"TIME (UTC)",-20}  {"ACTION",-20}  {"BY",-28}  WHAT");
            foreach (var r in trail.Records)
            {
                var by = r.Requester?.User ?? "(operator)";
                var what = string.Join(", ", r.Objects.Prepend(r.Reason).Where(s => s.Length > 0));
                await o.WriteLineAsync($"{r.Seq,4}  {r.Time.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),-20}  {r.Action,-20}  {Cut(by, 28),-28}  {what}");
            }
            await o.WriteLineAsync();
        }
    }

    public static async Task VerifyAsync(TextWriter o, IReadOnlyList<TrailResult> results, bool json, bool hmacs,
        string ns, string keySecret)
    {
        if (json)
        {
            await o.WriteLineAsync(JsonSerializer.Serialize(results.Select(r => new
            {
                tenant = r.Trail.Head.Tenant, uid = r.Trail.Head.Uid, records = r.Trail.Records.Count, head = r.Trail.Head.Hash, hmacsChecked = hmacs,
                ok = r.Verdict.Ok && r.StatusProblem is null, badRecord = r.Verdict.BadSeq, problem = r.Verdict.Ok ? r.StatusProblem : r.Verdict.Problem,
            }), new JsonSerializerOptions { WriteIndented = true }));
            return;
        }
        if (!hmacs) await o.WriteLineAsync($"note: cannot read {ns}/{keySecret}, so hashes and links are checked but HMACs are not");
        foreach (var (trail, verdict, statusProblem) in results)
            await o.WriteLineAsync(verdict.Ok && statusProblem is null
                ? $"OK      {trail.Head.Tenant} (uid {trail.Head.Uid}): {trail.Records.Count} records, head {AuditChain.Short(trail.Head.Hash)}"
                : $"BROKEN  {trail.Head.Tenant} (uid {trail.Head.Uid}): {(verdict.Ok ? statusProblem : verdict.Problem)}");
    }

    private static string Cut(string s, int n) => s.Length <= n ? s : s[..(n - 1)] + "…";
}
