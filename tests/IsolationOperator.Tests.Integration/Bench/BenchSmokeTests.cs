using System.Diagnostics;
using System.Text.Json;
using IsolationOperator.Tests.Integration.Infrastructure;

namespace IsolationOperator.Tests.Integration.Bench;

/// <summary>
/// The benchmark (hack/bench.sh, README "Performance") run small against the shared plane on every CI run, so it
/// cannot rot: the bench is a separate program, as the operator it measures, and must still produce every number.
/// Not a performance assertion: values only have to be sane.
/// </summary>
public sealed class BenchSmokeTests(ControlPlaneFixture fixture) : IClassFixture<ControlPlaneFixture>
{
    // Built by the solution build with the same configuration as this assembly (…/bin/<Configuration>/net10.0/).
    private static readonly string Configuration = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd('/')).Parent!.Name;

    [LocalPlaneFact] // reads the local plane's audit log and the operator's /proc entries
    public async Task Smoke_run_writes_every_measurement()
    {
        var plane = fixture.Plane;
        await Crd.InstallAsync(plane);
        var bench = RepoRoot.File("bench", "IsolationOperator.Bench", "bin", Configuration, "net10.0", "IsolationOperator.Bench.dll");
        var op = RepoRoot.File("src", "IsolationOperator", "bin", Configuration, "net10.0", "IsolationOperator.dll");
        File.Exists(bench).Should().BeTrue($"the solution build makes {bench}");
        var user = UniqueName.For("bench-operator");
        var output = Directory.CreateTempSubdirectory("bench-smoke-");
        try
        {
            var info = new ProcessStartInfo("dotnet");
            foreach (var a in new[]
                     {
                         bench, "--smoke", "--operator-dll", op, "--repo", RepoRoot.Path, "--out", output.FullName,
                         "--kubeconfig", plane.KubeconfigPath, "--operator-kubeconfig", plane.WriteKubeconfigFor(user, "system:masters"),
                         "--operator-user", user, "--audit-log", plane.AuditLogPath!,
                     })
                info.ArgumentList.Add(a);
            var run = await ExternalCommand.RunAsync(info, null, TimeSpan.FromMinutes(3), "bench --smoke");
            run.ExitCode.Should().Be(0, run.ToString());

            var json = output.GetFiles("*.json").Should().ContainSingle().Subject;
            output.GetFiles("*.md").Should().ContainSingle();
            output.GetFiles("*.png").Should().ContainSingle().Which.Length.Should().BeGreaterThan(1000);
            using var doc = JsonDocument.Parse(await File.ReadAllTextAsync(json.FullName));
            var r = doc.RootElement;
            r.GetProperty("ratio").GetDouble().Should().BeGreaterThan(0);
            foreach (var side in new[] { "operator", "floor" })
            {
                var t = r.GetProperty(side);
                t.GetProperty("seconds").GetDouble().Should().BeGreaterThan(0);
                var series = t.GetProperty("series").EnumerateArray().ToList();
                series[^1][1].GetDouble().Should().Be(5, $"all {side} tenants Ready");
            }
            var latency = r.GetProperty("latency");
            latency.GetProperty("samples").GetInt32().Should().Be(5);
            latency.GetProperty("p50Ms").GetDouble().Should().BeGreaterThan(0);
            latency.GetProperty("p99Ms").GetDouble().Should().BeGreaterThanOrEqualTo(latency.GetProperty("p50Ms").GetDouble());
            var idle = r.GetProperty("idle");
            foreach (var f in new[] { "writes", "lists", "gets" }) idle.GetProperty(f).GetInt32().Should().BeGreaterThanOrEqualTo(0);
            idle.GetProperty("cpuPercentOfCore").GetDouble().Should().BeGreaterThanOrEqualTo(0);
            var resync = r.GetProperty("resync");
            resync.GetProperty("reconciles").GetDouble().Should().BeGreaterThanOrEqualTo(10, "5 tenants + 5 latency samples, each once");
            resync.GetProperty("cpuMsPerReconcile").GetDouble().Should().BeGreaterThan(0);
            resync.GetProperty("requests").GetInt32().Should().BeGreaterThanOrEqualTo(0);
            r.GetProperty("restart").GetProperty("rssMiB").GetDouble().Should().BeGreaterThan(0);
            var work = r.GetProperty("provisioning");
            work.GetProperty("reconcilesPerTenant").GetDouble().Should().BeGreaterThanOrEqualTo(1);
            work.GetProperty("requestsPerTenant").GetDouble().Should().BeGreaterThan(0);
            work.GetProperty("floorRequestsPerTenant").GetInt32().Should().BeGreaterThan(0);
            var memory = r.GetProperty("memory").EnumerateArray().ToList();
            memory.Select(m => m.GetProperty("tenants").GetInt32()).Should().Equal(0, 5);
            memory.Should().OnlyContain(m => m.GetProperty("rssMiB").GetDouble() > 0 && m.GetProperty("afterWorkMiB").GetDouble() > 0);
        }
        finally
        {
            output.Delete(recursive: true);
        }
    }
}
