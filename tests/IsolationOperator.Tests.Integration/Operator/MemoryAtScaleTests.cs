using IsolationOperator.Api.V1Alpha1;
using IsolationOperator.LocalCluster;
using IsolationOperator.Tests.Integration.Infrastructure;
using k8s;
using Xunit.Abstractions;
using YamlDotNet.RepresentationModel;

namespace IsolationOperator.Tests.Integration.Operator;

/// <summary>
/// The chart gives the pod a memory limit; an operator that passes it at scale is OOM-killed in a loop and stops
/// expiring everyone's demos. 1000 tenants (the sample's shape: two access entries, a generated secret, egress and
/// ingress rules) on a plane of its own, the operator as its own process, RSS read from /proc — in steady state and
/// through a restart, when every cache is listed at once.
/// </summary>
public sealed class MemoryAtScaleTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int TenantCount = 1000;
    private ControlPlane _plane = null!;
    private IKubernetes Admin => _plane.AdminClient();

    public async Task InitializeAsync() => _plane = await ControlPlane.StartAsync(new ControlPlaneOptions());
    public async Task DisposeAsync() => await _plane.DisposeAsync();

    [LocalPlaneFact]
    public async Task With_1000_tenants_the_operator_stays_under_the_charts_memory_limit_also_through_a_restart_and_settles_under_its_request()
    {
        var limit = ChartMemoryLimitBytes();
        await Crd.InstallAsync(_plane);
        var settings = new Dictionary<string, string>
        {
            ["MetricsPort"] = OperatorProcess.FreePort().ToString(),
            ["LeaseNamespace"] = "default",
            ["Workers"] = "4",
            // A loaded CI machine may take longer than the default 2 minutes to list 1000 tenants' objects on restart;
            // this test is about memory, not about giving up leadership.
            ["CacheSyncTimeout"] = "00:10:00",
        };
        var op = OperatorProcess.Start(_plane.KubeconfigPath, settings);
        try
        {
            await WaitReadyzAsync(settings["MetricsPort"]);
            var samples = new List<string> { $"0 tenants: {Mib(Rss(op))} MiB" };
            var peak = Rss(op);
            var names = Enumerable.Range(0, TenantCount).Select(i => $"mem{i:0000}").ToList();
            foreach (var batch in names.Chunk(TenantCount / 4))
            {
                using (var gate = new SemaphoreSlim(16))
                    await Task.WhenAll(batch.Select(async n =>
                    {
                        await gate.WaitAsync();
                        try { await Tenants.CreateAsync(Admin, Tenants.FromSample("acme.yaml", n)); }
                        finally { gate.Release(); }
                    }));
                var created = names.IndexOf(batch[^1]) + 1;
                await WaitAllReadyAsync(created, () => peak = Math.Max(peak, Rss(op)));
                samples.Add($"{created} tenants: {Mib(Rss(op))} MiB");
            }
            var steady = Rss(op);
            // Idle after the burst, the operator gives the burst's memory back (IdleHeapCompactor: within two 10 s periods).
            await Task.Delay(TimeSpan.FromSeconds(30));
            var settled = Rss(op);
            samples.Add($"{TenantCount} tenants, 30 s idle: {Mib(settled)} MiB");

            // A restart on a full cluster: every informer lists at once, every tenant is reconciled again.
            op.Signal(15);
            (await op.WaitForExitAsync(TimeSpan.FromSeconds(30))).Should().BeTrue("SIGTERM stops the operator");
            op.Dispose();
            op = OperatorProcess.Start(_plane.KubeconfigPath, settings);
            long restartPeak = 0;
            var until = DateTime.UtcNow.AddSeconds(45);
            while (DateTime.UtcNow < until)
            {
                restartPeak = Math.Max(restartPeak, Rss(op));
                await Task.Delay(200);
            }
            samples.Add($"restart with {TenantCount}: peak {Mib(restartPeak)} MiB, then {Mib(Rss(op))} MiB");
            samples.Add($"peak while provisioning: {Mib(peak)} MiB; chart limit {Mib(limit)} MiB");
            output.WriteLine("operator RSS (from /proc): " + string.Join("; ", samples));

            steady.Should().BeLessThan(limit, "steady state at 1000 tenants fits the chart's memory limit");
            settled.Should().BeLessThan(ChartMemoryRequestBytes(), "once idle at 1000 tenants the operator fits what the chart requests for it");
            peak.Should().BeLessThan(limit, "provisioning 1000 tenants fits the chart's memory limit");
            restartPeak.Should().BeLessThan(limit, "a restart with 1000 tenants fits the chart's memory limit");
        }
        finally
        {
            op.Dispose();
        }
    }

    // Listing 1000 tenants is itself a load on the plane: every 2 s, sampling RSS in between.
    private async Task WaitAllReadyAsync(int count, Action sample)
    {
        var deadline = DateTime.UtcNow.AddMinutes(8);
        var ready = 0;
        while (DateTime.UtcNow < deadline)
        {
            var list = await Admin.CustomObjects.ListClusterCustomObjectAsync(DemoTenant.Group, DemoTenant.Version, DemoTenant.Plural);
            var tenants = KubernetesJson.Deserialize<DemoTenantList>(KubernetesJson.Serialize(list)).Items;
            ready = tenants.Count(t => t.Status?.Phase == Phases.Ready);
            if (tenants.Count == count && ready == count) return;
            for (var i = 0; i < 10; i++) { sample(); await Task.Delay(200); }
        }
        ready.Should().Be(count, "every tenant becomes Ready");
    }

    private static async Task WaitReadyzAsync(string port)
    {
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        await Eventually.HoldsAsync("/readyz 200", async () =>
        {
            try { return (await http.GetAsync("/readyz")).IsSuccessStatusCode; }
            catch (HttpRequestException) { return false; }
        }, TimeSpan.FromSeconds(60));
    }

    private static long Rss(OperatorProcess op)
    {
        var line = File.ReadLines($"/proc/{op.Id}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) * 1024;
    }

    private static long Mib(long bytes) => bytes / (1024 * 1024);

    /// <summary>resources.limits.memory from the chart's values.yaml, e.g. 512Mi.</summary>
    private static long ChartMemoryLimitBytes() => ChartMemoryBytes("limits");

    /// <summary>resources.requests.memory: what the scheduler reserves, stated to cover the steady state at 1000 tenants.</summary>
    private static long ChartMemoryRequestBytes() => ChartMemoryBytes("requests");

    private static long ChartMemoryBytes(string which)
    {
        var yaml = new YamlStream();
        using (var reader = new StringReader(File.ReadAllText(RepoRoot.File("charts", "isolation-operator", "values.yaml"))))
            yaml.Load(reader);
        var values = (YamlMappingNode)yaml.Documents[0].RootNode;
        var value = ((YamlScalarNode)values["resources"][which]["memory"]).Value!;
        value.Should().EndWith("Mi", $"the chart states its memory {which} in Mi");
        return long.Parse(value[..^2]) * 1024 * 1024;
    }
}
