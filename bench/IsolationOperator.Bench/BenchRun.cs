using System.Diagnostics;
using IsolationOperator.Api.V1Alpha1;
using IsolationOperator.Engine;
using k8s;
using k8s.Models;

namespace IsolationOperator.Bench;

/// <summary>The measurements of issue 10, in order, against one cluster and one operator process (restarted once).</summary>
public sealed class BenchRun(BenchOptions o, BenchTarget target, IKubernetes admin)
{
    private readonly BenchTenants _tenants = new(Guid.NewGuid().ToString("N")[..6]);
    private readonly string _work = Directory.CreateTempSubdirectory("isolation-bench-").FullName;
    private readonly TimeSpan _settle = o.Smoke ? TimeSpan.FromSeconds(1) : TimeSpan.FromSeconds(5);
    // Long enough for the operator to find itself idle and give the burst's memory back (IdleHeapCompactor: two 10 s periods).
    private readonly TimeSpan _idleSettle = o.Smoke ? TimeSpan.FromSeconds(2) : TimeSpan.FromSeconds(30);
    private readonly TimeSpan _phaseTimeout = TimeSpan.FromMinutes(o.Smoke ? 1 : 20);

    public static void Log(string message) => Console.Error.WriteLine($"{DateTime.Now:HH:mm:ss} bench: {message}");

    public async Task<BenchResult> RunAsync(MachineInfo machine)
    {
        var started = DateTimeOffset.UtcNow;
        var checkpoints = new[] { 250, 500, 1000, 2000 }.Where(c => c < o.Tenants).Append(o.Tenants).ToList();
        var memory = new List<MemorySample>();
        var settings = new Dictionary<string, string>
        {
            ["Workers"] = o.Workers.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["TenantSelector"] = _tenants.Selector,
            ["Identity"] = $"bench-{_tenants.RunId}",
        };
        Log($"run {_tenants.RunId}: {o.Tenants} tenants, {o.Workers} workers; operator log {_work}/operator.log");

        await using var tenantsReady = new ReadyTracker<DemoTenant>(admin, OwnedKinds.DemoTenants, _tenants.Selector,
            t => t.Status?.Phase == "Ready" && t.Status.ObservedGeneration == t.Metadata.Generation, t => t.Metadata.Name);
        var floorPrefix = $"demo-{_tenants.Name("fl", 0)[..^5]}";
        await using var floorReady = new ReadyTracker<V1ResourceQuota>(admin, OwnedKinds.ResourceQuotas,
            $"{Desired.TenantLabels.ManagedBy}={BenchTenants.FloorManagedBy}",
            q => q.Metadata.NamespaceProperty.StartsWith(floorPrefix, StringComparison.Ordinal) && q.Status?.Hard is { Count: > 0 },
            q => q.Metadata.NamespaceProperty);
        await Task.WhenAll(tenantsReady.Synced, floorReady.Synced);

        var op = await OperatorHost.StartAsync(o.OperatorDll, target.OperatorKubeconfig, settings, o.OperatorEnv, Path.Combine(_work, "operator.log"));
        try
        {
            // 1 + 6: create → Ready in segments; the operator's memory after each segment has settled.
            await op.WaitQuietAsync(TimeSpan.FromSeconds(2), _phaseTimeout);
            memory.Add(await MemoryAsync(op, 0));
            var created = 0;
            var (provisionFrom, reconciles0) = (DateTimeOffset.UtcNow, (await op.MetricsAsync())!.Value.Reconciles);
            foreach (var cp in checkpoints)
            {
                tenantsReady.Clock.Start();
                await CreateAsync(Enumerable.Range(created, cp - created).Select(i => _tenants.Name("op", i)));
                await tenantsReady.WaitForCountAsync(cp, _phaseTimeout);
                tenantsReady.Clock.Stop();
                created = cp;
                await op.WaitQuietAsync(TimeSpan.FromSeconds(2), _phaseTimeout);
                memory.Add(await MemoryAsync(op, cp));
                Log($"operator: {cp} Ready after {tenantsReady.Series[^1].Seconds:0.0} s; RSS {memory[^1].AfterWorkMiB:0} MiB after the work, {memory[^1].RssMiB:0} MiB settled");
            }
            var operatorSeries = tenantsReady.Series;
            var provisionAudit = Audit(provisionFrom, DateTimeOffset.UtcNow);
            var provisioning = new ProvisioningWork(
                Math.Round(((await op.MetricsAsync())!.Value.Reconciles - reconciles0) / o.Tenants, 2),
                provisionAudit is null ? null : Math.Round((double)provisionAudit.NonWatch / o.Tenants, 2),
                provisionAudit?.ByVerbAndResource, FloorWriter.Objects(_tenants.New(_tenants.Name("fl", 0))).Count);

            // 2: the floor, same segments and concurrency, in its own namespaces.
            var floor = new FloorWriter(admin, o.Workers);
            created = 0;
            foreach (var cp in checkpoints)
            {
                floorReady.Clock.Start();
                await floor.WriteAsync(Enumerable.Range(created, cp - created).Select(i => _tenants.New(_tenants.Name("fl", i))).ToList(), CancellationToken.None);
                await floorReady.WaitForCountAsync(cp, _phaseTimeout);
                floorReady.Clock.Stop();
                created = cp;
                Log($"floor: {cp} ready after {floorReady.Series[^1].Seconds:0.0} s");
            }

            // 3: single tenants, one at a time, with N present.
            await op.WaitQuietAsync(TimeSpan.FromSeconds(2), _phaseTimeout);
            var latencies = new List<double>();
            for (var i = 0; i < o.LatencySamples; i++)
            {
                var name = _tenants.Name("lat", i);
                var ready = tenantsReady.WhenReady(name);
                var t0 = Stopwatch.GetTimestamp();
                await CreateAsync([name]);
                var at = await ready.WaitAsync(TimeSpan.FromSeconds(60));
                latencies.Add(Stopwatch.GetElapsedTime(t0, at).TotalMilliseconds);
            }
            var total = o.Tenants + o.LatencySamples;
            Log($"latency: p50 {Percentile(latencies, 0.5):0} ms, p99 {Percentile(latencies, 0.99):0} ms");

            // 4: idle.
            await op.WaitQuietAsync(TimeSpan.FromSeconds(2), _phaseTimeout);
            var idle = await MeasureIdleAsync(op);
            Log($"idle: {idle.Writes} writes, {idle.Lists} lists, {idle.Gets} gets, {idle.CpuPercentOfCore:0.00}% CPU");

            // 5: restart with a short resync period; the start-up pass, then one full resync.
            await op.StopAsync();
            await op.DisposeAsync();
            settings["ResyncPeriod"] = o.Resync.ToString("c", System.Globalization.CultureInfo.InvariantCulture);
            var restartAt = DateTimeOffset.UtcNow;
            op = await OperatorHost.StartAsync(o.OperatorDll, target.OperatorKubeconfig, settings, o.OperatorEnv, Path.Combine(_work, "operator.log"));
            var settledAt = await op.WaitQuietAsync(TimeSpan.FromSeconds(2), _phaseTimeout, minReconciles: total);
            var restartCpu = op.CpuMilliseconds();
            var restartAudit = Audit(restartAt, settledAt);
            var restartMemory = await MemoryAsync(op, total);
            var restart = new RestartCost((settledAt - restartAt).TotalSeconds, restartCpu, restartAudit?.Writes, restartAudit?.Lists,
                restartAudit?.Gets, restartMemory.RssMiB, restartMemory.AfterWorkMiB);
            var resync = await MeasureResyncAsync(op, total, idle.CpuPercentOfCore);
            Log($"resync: {resync.Reconciles} reconciles, {resync.CpuMsPerReconcile:0.00} CPU-ms each, {resync.Requests} requests");

            var opThroughput = Throughput(o.Tenants, operatorSeries);
            var floorThroughput = Throughput(o.Tenants, floorReady.Series);
            if (target.SharedCluster) await CleanUpAsync(total);
            return new BenchResult
            {
                StartedAt = started,
                Machine = machine with { Cluster = target.Description },
                Settings = new RunSettings(o.Tenants, o.Workers, o.Smoke, o.LatencySamples, o.Idle.TotalSeconds, o.Resync.TotalSeconds,
                    o.CreateParallelism, Path.GetFileName(Path.GetDirectoryName(Path.GetDirectoryName(o.OperatorDll))) ?? "?", o.OperatorEnv),
                Operator = opThroughput,
                Floor = floorThroughput,
                Ratio = opThroughput.Seconds / floorThroughput.Seconds,
                Latency = new Latency(latencies.Count, Percentile(latencies, 0.5), Percentile(latencies, 0.99), latencies.Max(), o.Tenants),
                Idle = idle,
                Resync = resync,
                Restart = restart,
                Provisioning = provisioning,
                Memory = memory,
            };
        }
        finally
        {
            await op.StopAsync();
            await op.DisposeAsync();
        }
    }

    private Task CreateAsync(IEnumerable<string> names) =>
        Parallel.ForEachAsync(names, new ParallelOptions { MaxDegreeOfParallelism = o.CreateParallelism }, async (name, ct) =>
            await admin.CustomObjects.CreateClusterCustomObjectAsync(_tenants.New(name), DemoTenant.Group, DemoTenant.Version,
                DemoTenant.Plural, cancellationToken: ct));

    /// <summary>RSS shortly after the work (the burst's high-water mark), then once the operator has been idle a while.</summary>
    private async Task<MemorySample> MemoryAsync(OperatorHost op, int tenants)
    {
        var afterWork = await RssAfterAsync(op, _settle);
        var settled = await RssAfterAsync(op, _idleSettle - _settle);
        return new MemorySample(tenants, settled, afterWork);
    }

    private static async Task<double> RssAfterAsync(OperatorHost op, TimeSpan wait)
    {
        await Task.Delay(wait);
        var samples = new List<double>();
        for (var i = 0; i < 3; i++) { samples.Add(op.RssMiB()); await Task.Delay(500); }
        return Math.Round(Percentile(samples, 0.5), 1);
    }

    private AuditCounts? Audit(DateTimeOffset from, DateTimeOffset to) =>
        target.AuditLog is null ? null : AuditCounts.Read(target.AuditLog, target.OperatorUser, from, to);

    private async Task<IdleCost> MeasureIdleAsync(OperatorHost op)
    {
        var from = DateTimeOffset.UtcNow;
        var cpu0 = op.CpuMilliseconds();
        await Task.Delay(o.Idle);
        var cpu1 = op.CpuMilliseconds();
        var to = DateTimeOffset.UtcNow;
        var seconds = (to - from).TotalSeconds;
        var a = Audit(from, to);
        return new IdleCost(Math.Round(seconds, 1), a?.Writes, a?.Lists, a?.Gets, a?.Watches, Math.Round((cpu1 - cpu0) / 10 / seconds, 3));
    }

    /// <summary>Brackets the resync tightly: from the last poll before the reconcile count moves to an empty queue.</summary>
    private async Task<ResyncCost> MeasureResyncAsync(OperatorHost op, int tenants, double idleCpuPercent)
    {
        var rec0 = (await op.MetricsAsync())!.Value.Reconciles;
        var (fromTime, fromCpu) = (DateTimeOffset.UtcNow, op.CpuMilliseconds());
        var deadline = DateTime.UtcNow + o.Resync + _phaseTimeout;
        (double Reconciles, double QueueDepth) m;
        while (true)
        {
            await Task.Delay(200);
            var cpu = op.CpuMilliseconds();
            m = (await op.MetricsAsync()) ?? (rec0, 0);
            if (m.Reconciles > rec0) break;
            (fromTime, fromCpu) = (DateTimeOffset.UtcNow, cpu);
            if (DateTime.UtcNow > deadline) throw new TimeoutException("no resync happened");
        }
        while (m.Reconciles < rec0 + tenants || m.QueueDepth > 0)
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"resync did not finish: {m.Reconciles - rec0} of {tenants}");
            await Task.Delay(100);
            m = (await op.MetricsAsync()) ?? m;
        }
        var (toTime, toCpu) = (DateTimeOffset.UtcNow, op.CpuMilliseconds());
        var reconciles = m.Reconciles - rec0;
        var seconds = (toTime - fromTime).TotalSeconds;
        var cpuMs = toCpu - fromCpu;
        // The idle baseline (timers, GC, watch keep-alives) would be spent anyway: net is what the reconciles cost.
        var net = Math.Max(0, cpuMs - idleCpuPercent * 10 * seconds);
        var a = Audit(fromTime, toTime.AddSeconds(1));
        return new ResyncCost(reconciles, Math.Round(seconds, 2), Math.Round(cpuMs, 1), Math.Round(cpuMs / reconciles, 3),
            Math.Round(net / reconciles, 3), a?.NonWatch, a?.ByVerbAndResource);
    }

    /// <summary>On a shared cluster: the operator still runs, so it can remove its finalizers; floor namespaces go directly.</summary>
    private async Task CleanUpAsync(int total)
    {
        var names = Enumerable.Range(0, o.Tenants).Select(i => _tenants.Name("op", i))
            .Concat(Enumerable.Range(0, o.LatencySamples).Select(i => _tenants.Name("lat", i)));
        await Parallel.ForEachAsync(names, new ParallelOptions { MaxDegreeOfParallelism = o.CreateParallelism }, async (n, ct) =>
            await admin.CustomObjects.DeleteClusterCustomObjectAsync(DemoTenant.Group, DemoTenant.Version, DemoTenant.Plural, n, cancellationToken: ct));
        await Parallel.ForEachAsync(Enumerable.Range(0, o.Tenants), new ParallelOptions { MaxDegreeOfParallelism = o.CreateParallelism }, async (i, ct) =>
            await admin.CoreV1.DeleteNamespaceAsync($"demo-{_tenants.Name("fl", i)}", cancellationToken: ct));
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            var left = await admin.CustomObjects.ListClusterCustomObjectAsync(DemoTenant.Group, DemoTenant.Version, DemoTenant.Plural,
                labelSelector: _tenants.Selector);
            if (KubernetesJson.Serialize(left).Contains("\"items\":[]", StringComparison.Ordinal)) return;
            await Task.Delay(500);
        }
        Log($"cleanup: some of the {total} DemoTenants were still there after 60 s");
    }

    private static Throughput Throughput(int tenants, IReadOnlyList<(double Seconds, int Count)> series)
    {
        var seconds = series.Count == 0 ? double.NaN : series[^1].Seconds;
        return new Throughput(tenants, Math.Round(seconds, 2), Math.Round(tenants / seconds, 2),
            series.Select(p => new[] { Math.Round(p.Seconds, 3), p.Count }).ToList());
    }

    /// <summary>Nearest-rank percentile.</summary>
    public static double Percentile(IReadOnlyCollection<double> values, double q)
    {
        var sorted = values.Order().ToList();
        return sorted.Count == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(q * sorted.Count) - 1, 0, sorted.Count - 1)];
    }
}

/// <summary>Where the bench runs: the admin and operator kubeconfigs, the operator's user, the audit log if any.</summary>
public sealed record BenchTarget(string AdminKubeconfig, string OperatorKubeconfig, string OperatorUser, string? AuditLog,
    string Description, bool SharedCluster);
