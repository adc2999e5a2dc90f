using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.Json;
using IsolationOperator.Api.V1Alpha1;
using IsolationOperator.Engine;
using k8s;
using Microsoft.Extensions.Logging.Abstractions;

namespace IsolationOperator.Bench;

/// <summary>
/// Issue 13's budget, measured: N demos (default 200) provisioned and verified, then one whole periodic cycle at a
/// short Operator__VerificationPeriod. What a cycle costs (reviews, lists, gets, status writes, operator CPU) is what
/// the hourly schedule costs per hour; the README budgets about 37,000 reviews for 200 demos of two subjects.
/// </summary>
public sealed class VerificationBench(BenchOptions o, BenchTarget target, IKubernetes admin)
{
    private readonly BenchTenants _tenants = new(Guid.NewGuid().ToString("N")[..6]);
    private readonly string _work = Directory.CreateTempSubdirectory("isolation-bench-verify-").FullName;
    private readonly TimeSpan _timeout = TimeSpan.FromMinutes(20);
    // Each demo's last verification time, kept current by an informer on this run's DemoTenants.
    private readonly ConcurrentDictionary<string, (DateTimeOffset? Time, string? Status)> _verified = new(StringComparer.Ordinal);

    public async Task<VerificationBenchResult> RunAsync(MachineInfo machine)
    {
        var started = DateTimeOffset.UtcNow;
        var informer = new Informer<DemoTenant>(admin, OwnedKinds.DemoTenants, new InformerOptions { LabelSelector = _tenants.Selector }, NullLogger.Instance);
        informer.Changed += (_, t) =>
        {
            if (t is null) return;
            var c = t.Status?.Conditions?.FirstOrDefault(c => c.Type == ConditionTypes.IsolationVerified);
            _verified[t.Metadata.Name] = (t.Status?.Verification?.Time, c?.Status);
        };
        using var stop = new CancellationTokenSource();
        var watching = Task.Run(() => informer.RunAsync(stop.Token));
        await informer.Synced;

        var settings = new Dictionary<string, string>
        {
            ["Workers"] = o.Workers.ToString(CultureInfo.InvariantCulture),
            ["TenantSelector"] = _tenants.Selector,
            ["Identity"] = $"bench-{_tenants.RunId}",
            ["VerificationPeriod"] = o.VerificationPeriod.ToString("c", CultureInfo.InvariantCulture),
        };
        BenchRun.Log($"verification run {_tenants.RunId}: {o.Tenants} demos, period {o.VerificationPeriod.TotalSeconds:0} s; operator log {_work}/operator.log");
        var op = await OperatorHost.StartAsync(o.OperatorDll, target.OperatorKubeconfig, settings, o.OperatorEnv, Path.Combine(_work, "operator.log"));
        try
        {
            await op.WaitQuietAsync(TimeSpan.FromSeconds(2), _timeout);
            var names = Enumerable.Range(0, o.Tenants).Select(i => _tenants.Name("ver", i)).ToList();
            await Parallel.ForEachAsync(names, new ParallelOptions { MaxDegreeOfParallelism = o.CreateParallelism }, async (name, ct) =>
                await admin.CustomObjects.CreateClusterCustomObjectAsync(_tenants.New(name), DemoTenant.Group, DemoTenant.Version, DemoTenant.Plural, cancellationToken: ct));

            // First cycle: every demo verified once after provisioning.
            var first = await WaitAllVerifiedAfterAsync(names, DateTimeOffset.MinValue);
            var firstDone = DateTimeOffset.UtcNow;
            BenchRun.Log($"first verification of all {names.Count} demos done {(firstDone - started).TotalSeconds:0} s after start");
            var failing = names.Count(n => _verified[n].Status != "True");

            // Second cycle: the schedule alone (nothing changed), bracketed by the demos' own verification times.
            var cpu0 = op.CpuMilliseconds();
            var second = await WaitAllVerifiedAfterAsync(names, first.Max());
            var secondDone = DateTimeOffset.UtcNow;
            var cpu1 = op.CpuMilliseconds();
            var cycleFrom = second.Min();
            var cycleTo = second.Max();
            var audit = target.AuditLog is null ? null : AuditCounts.Read(target.AuditLog, target.OperatorUser, firstDone, secondDone.AddSeconds(1));
            int? Count(string key) => audit is null ? null : audit.ByVerbAndResource.GetValueOrDefault(key);
            var reviews = Count("create subjectaccessreviews");
            return new VerificationBenchResult
            {
                StartedAt = started,
                Machine = machine with { Cluster = target.Description },
                Demos = names.Count,
                SubjectsPerDemo = _tenants.New("x").Spec.Access!.Count + 1,
                PeriodSeconds = o.VerificationPeriod.TotalSeconds,
                NotVerifiedTrue = failing,
                CycleSpreadSeconds = Math.Round((cycleTo - cycleFrom).TotalSeconds, 1),
                Reviews = reviews,
                ReviewsPerDemo = reviews is { } r ? Math.Round(r / (double)names.Count, 1) : null,
                Lists = audit?.Lists,
                Gets = audit?.Gets,
                // SubjectAccessReviews are creates the API server answers and never stores.
                Writes = audit is null ? null : audit.Writes - (reviews ?? 0),
                ByVerbAndResource = audit?.ByVerbAndResource,
                OperatorCpuSeconds = Math.Round((cpu1 - cpu0) / 1000, 2),
                ReviewsPerHourAtDefaultPeriod = reviews is { } h ? (int)Math.Round(h * (3600 / Math.Max(3600, o.VerificationPeriod.TotalSeconds))) : null,
                ReadmeBudgetFor200 = 37_000,
            };
        }
        finally
        {
            await op.StopAsync();
            await op.DisposeAsync();
            await stop.CancelAsync();
            await watching.ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }

    /// <summary>Waits until every demo has a verification time after <paramref name="after"/>; returns those times.</summary>
    private async Task<List<DateTimeOffset>> WaitAllVerifiedAfterAsync(IReadOnlyList<string> names, DateTimeOffset after)
    {
        var deadline = DateTime.UtcNow + o.VerificationPeriod + _timeout;
        while (true)
        {
            var times = names.Select(n => _verified.TryGetValue(n, out var v) && v.Time is { } t && t > after ? t : (DateTimeOffset?)null).ToList();
            var done = times.Count(t => t is not null);
            if (done == names.Count) return times.Select(t => t!.Value).ToList();
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"{done} of {names.Count} demos verified after {after:O}");
            await Task.Delay(500);
        }
    }

    public static void Write(VerificationBenchResult r, string stem)
    {
        File.WriteAllText(stem + ".json", JsonSerializer.Serialize(r, Report.Json));
        static string N(int? v) => v?.ToString(CultureInfo.InvariantCulture) ?? "n/a (no audit log)";
        var s = new StringBuilder();
        s.AppendLine(CultureInfo.InvariantCulture, $"### Verification: {r.Demos} demos, {r.SubjectsPerDemo} subjects each ({r.StartedAt:yyyy-MM-dd HH:mm} UTC)");
        s.AppendLine();
        s.AppendLine(CultureInfo.InvariantCulture, $"{r.Machine.Processors} cores, Kubernetes {r.Machine.Kubernetes}, {r.Machine.Cluster}. One periodic cycle at Operator__VerificationPeriod={r.PeriodSeconds:0} s, nothing changed.");
        s.AppendLine();
        s.AppendLine("| measurement | value |");
        s.AppendLine("|---|---|");
        s.AppendLine(CultureInfo.InvariantCulture, $"| demos not verified True | {r.NotVerifiedTrue} |");
        s.AppendLine(CultureInfo.InvariantCulture, $"| SubjectAccessReviews per cycle | {N(r.Reviews)} ({r.ReviewsPerDemo?.ToString("0.0", CultureInfo.InvariantCulture) ?? "n/a"} per demo) |");
        s.AppendLine(CultureInfo.InvariantCulture, $"| per hour at the default period (01:00:00) | {N(r.ReviewsPerHourAtDefaultPeriod)} (README budget for 200 demos: about {r.ReadmeBudgetFor200:N0}) |");
        s.AppendLine(CultureInfo.InvariantCulture, $"| cycle spread (first to last demo verified) | {r.CycleSpreadSeconds:0.0} s |");
        s.AppendLine(CultureInfo.InvariantCulture, $"| lists / gets / stored writes in the cycle | {N(r.Lists)} / {N(r.Gets)} / {N(r.Writes)} |");
        s.AppendLine(CultureInfo.InvariantCulture, $"| operator CPU for the cycle | {r.OperatorCpuSeconds:0.00} s |");
        if (r.ByVerbAndResource is { } by)
        {
            s.AppendLine();
            s.AppendLine("Requests in the cycle: " + string.Join(", ", by.Select(kv => $"{kv.Key} {kv.Value}")));
        }
        File.WriteAllText(stem + ".md", s.ToString());
        Console.WriteLine(s.ToString());
    }
}

public sealed record VerificationBenchResult
{
    public required DateTimeOffset StartedAt { get; init; }
    public required MachineInfo Machine { get; init; }
    public required int Demos { get; init; }
    public required int SubjectsPerDemo { get; init; }
    public required double PeriodSeconds { get; init; }
    public required int NotVerifiedTrue { get; init; }
    public required double CycleSpreadSeconds { get; init; }
    public int? Reviews { get; init; }
    public double? ReviewsPerDemo { get; init; }
    public int? Lists { get; init; }
    public int? Gets { get; init; }
    public int? Writes { get; init; }
    public IReadOnlyDictionary<string, int>? ByVerbAndResource { get; init; }
    public required double OperatorCpuSeconds { get; init; }
    public int? ReviewsPerHourAtDefaultPeriod { get; init; }
    public required int ReadmeBudgetFor200 { get; init; }
}
