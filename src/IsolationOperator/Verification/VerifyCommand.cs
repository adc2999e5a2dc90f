using System.Text.Json;
using IsolationOperator.Api.V1Alpha1;
using IsolationOperator.Desired;
using IsolationOperator.Hosting;
using k8s;
using k8s.Models;

namespace IsolationOperator.Verification;

/// <summary>
/// <c>isolation-operator verify [TENANT] [--json]</c>: the operator's verifier, run now with the caller's kubeconfig.
/// Prints a table a person can read (or JSON for CI); exit 0 when every demo verifies, 1 when one does not, 2 when
/// it could not run (no cluster, no such DemoTenant).
/// </summary>
public static class VerifyCommand
{
    public const string Name = "verify";

    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, CancellationToken ct = default)
    {
        var json = args.Contains("--json");
        var names = args.Where(a => !a.StartsWith("--", StringComparison.Ordinal)).ToList();
        if (names.Count > 1 || args.Any(a => a.StartsWith("--", StringComparison.Ordinal) && a != "--json"))
        {
            await error.WriteLineAsync("usage: isolation-operator verify [TENANT] [--json]");
            return ExitCodes.StartFailed;
        }
        try
        {
            var client = KubernetesConnection.NewClient(KubernetesConnection.LoadConfig());
            var rows = await VerifyTenantsAsync(client, names.FirstOrDefault(), ct);
            if (rows is null)
            {
                await error.WriteLineAsync($"no DemoTenant named {names[0]}");
                return ExitCodes.StartFailed;
            }
            if (json) await output.WriteLineAsync(JsonSerializer.Serialize(rows, new JsonSerializerOptions { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase }));
            else await WriteTableAsync(output, rows);
            return rows.Any(r => r.Result == Broken) ? 1 : 0;
        }
        catch (Exception e) when (e is ConnectionException or HttpRequestException or k8s.Autorest.HttpOperationException or k8s.Exceptions.KubeConfigException)
        {
            await error.WriteLineAsync($"verify could not run: {e.Message}");
            return ExitCodes.StartFailed;
        }
    }

    public const string Verified = "verified";
    public const string Broken = "BROKEN";
    public const string Skipped = "skipped";

    /// <summary>
    /// Runs the verifier with <paramref name="client"/>'s rights for one DemoTenant (or all when <paramref name="tenant"/>
    /// is null), as this command and <c>kubectl demo verify</c> do. Null: no DemoTenant of that name.
    /// </summary>
    public static async Task<IReadOnlyList<Row>?> VerifyTenantsAsync(IKubernetes client, string? tenant, CancellationToken ct)
    {
        var policy = new OperatorOptions().ToPlannerPolicy();
        var list = KubernetesJson.Deserialize<DemoTenantList>(KubernetesJson.Serialize(
            await client.CustomObjects.ListClusterCustomObjectAsync(DemoTenant.Group, DemoTenant.Version, DemoTenant.Plural, cancellationToken: ct)));
        var tenants = list.Items.Where(t => tenant is null || t.Metadata.Name == tenant).OrderBy(t => t.Metadata.Name, StringComparer.Ordinal).ToList();
        if (tenant is not null && tenants.Count == 0) return null;
        var namespaces = (await client.CoreV1.ListNamespaceAsync(labelSelector: TenantLabels.ManagedSelector, cancellationToken: ct)).Items;
        var verifier = new IsolationVerifier(client, TimeProvider.System);
        var grants = new DemoGrants(list.Items, policy);
        var rows = new List<Row>();
        foreach (var t in tenants)
        {
            var plan = TenantPlanner.Plan(t, DateTimeOffset.UtcNow, policy).Plan;
            var ns = t.Status?.Namespace;
            if (plan is null || ns is null || t.Status?.Phase == Phases.Expired || namespaces.All(n => n.Metadata.Name != ns))
            {
                rows.Add(new Row(t.Metadata.Name, ns, Skipped, 0, [], [], "not provisioned (or expired, or its spec is refused)", ""));
                continue;
            }
            plan = plan with { Namespace = ns };
            var labels = namespaces.First(n => n.Metadata.Name == ns).Metadata.Labels?.ToDictionary(kv => kv.Key, kv => kv.Value);
            var r = await verifier.VerifyAsync(t.Metadata.Name, plan, labels, namespaces.Select(n => n.Metadata.Name), ct, grants: grants);
            rows.Add(new Row(t.Metadata.Name, ns, r.Passed ? Verified : Broken, r.Checks.Count, r.FailedText, r.Paths, r.Reachability, r.NodeSharing));
        }
        return rows;
    }

    public sealed record Row(string Tenant, string? Namespace, string Result, int ChecksRun, IReadOnlyList<string> Failed, IReadOnlyList<IsolationPath> Paths,
        string Reachability, string NodeSharing);

    public static async Task WriteTableAsync(TextWriter o, IReadOnlyList<Row> rows)
    {
        var w = (Tenant: Math.Max(6, rows.Select(r => r.Tenant.Length).DefaultIfEmpty(0).Max()), Ns: Math.Max(9, rows.Select(r => (r.Namespace ?? "-").Length).DefaultIfEmpty(0).Max()));
        await o.WriteLineAsync($"{"TENANT".PadRight(w.Tenant)}  {"NAMESPACE".PadRight(w.Ns)}  {"RESULT",-8}  {"CHECKS",6}  {"FAILED",6}  {"PATHS",5}");
        foreach (var r in rows)
            await o.WriteLineAsync($"{r.Tenant.PadRight(w.Tenant)}  {(r.Namespace ?? "-").PadRight(w.Ns)}  {r.Result,-8}  {r.ChecksRun,6}  {r.Failed.Count,6}  {r.Paths.Count,5}");
        foreach (var r in rows.Where(r => r.Failed.Count > 0 || r.Paths.Count > 0))
        {
            await o.WriteLineAsync();
            await o.WriteLineAsync($"{r.Tenant}:");
            foreach (var f in r.Failed) await o.WriteLineAsync($"  check  {f}");
            foreach (var p in r.Paths)
                await o.WriteLineAsync($"  path   {p.Kind} {(p.Namespace is null ? "" : p.Namespace + "/")}{p.Name}: {p.Opens}{(p.ChangedBy is null ? "" : $" (last changed by {p.ChangedBy})")}");
        }
    }
}
