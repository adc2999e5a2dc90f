using System.Diagnostics;
using System.Net.Sockets;
using IsolationOperator.Tests.Integration.Infrastructure;

namespace IsolationOperator.Tests.Integration.Operator;

/// <summary>The operator as a user runs it: a process with a kubeconfig, stopped by SIGTERM.</summary>
public sealed class OperatorProcessTests(ControlPlaneFixture fixture) : IClassFixture<ControlPlaneFixture>
{
    private static string OperatorDll =>
        RepoRoot.File("src", "IsolationOperator", "bin", new DirectoryInfo(AppContext.BaseDirectory).Parent!.Parent!.Name, "net10.0", "IsolationOperator.dll");

    private static Process Start(string kubeconfig, int port, string tenantSelector)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(OperatorDll);
        info.Environment["KUBECONFIG"] = kubeconfig;
        info.Environment["Operator__MetricsPort"] = port.ToString();
        info.Environment["Operator__BindAddress"] = "127.0.0.1";
        info.Environment["Operator__LeaseNamespace"] = "default";
        info.Environment["Operator__LeaseName"] = UniqueName.For("lease");
        info.Environment["Operator__TenantSelector"] = tenantSelector;
        return Process.Start(info)!;
    }

    private static int FreePort()
    {
        using var l = new TcpListener(System.Net.IPAddress.Loopback, 0);
        l.Start();
        return ((System.Net.IPEndPoint)l.LocalEndpoint).Port;
    }

    [Fact]
    public async Task Operator_connects_serves_health_and_metrics_and_exits_zero_on_sigterm()
    {
        await Crd.InstallAsync(fixture.Plane);
        var port = FreePort();
        using var process = Start(fixture.Plane.KubeconfigPath, port, "isolation.demo.dev/test-run=process");
        var stdout = process.StandardOutput.ReadToEndAsync();
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
            await Eventually.HoldsAsync("/readyz 200", async () => (await http.GetAsync("/readyz")).IsSuccessStatusCode, TimeSpan.FromSeconds(30));
            (await http.GetStringAsync("/healthz")).Should().Be("ok");
            var metrics = await http.GetStringAsync("/metrics");
            metrics.Should().Contain("isolation_operator_workqueue_depth").And.Contain("isolation_operator_leader 1");
        }
        finally
        {
            Posix.Kill(process.Id, 15);
        }
        (await process.WaitForExitAsync(TimeSpan.FromSeconds(30))).Should().BeTrue();
        process.ExitCode.Should().Be(0);
        var log = await stdout;
        log.Should().Contain("connected to").And.Contain("v1.20").And.Contain("became leader");
    }

    [Fact]
    public async Task Unreachable_server_gives_one_clear_line_and_a_non_zero_exit()
    {
        var kubeconfig = Path.Combine(Path.GetTempPath(), UniqueName.For("unreachable") + ".yaml");
        var port = FreePort();
        await File.WriteAllTextAsync(kubeconfig, $$$"""
            apiVersion: v1
            kind: Config
            clusters: [{name: c, cluster: {server: "https://127.0.0.1:{{{port}}}", insecure-skip-tls-verify: true}}]
            users: [{name: u, user: {token: not-a-real-token}}]
            contexts: [{name: x, context: {cluster: c, user: u}}]
            current-context: x
            """);
        using var process = Start(kubeconfig, FreePort(), "x=y");
        var stdout = await process.StandardOutput.ReadToEndAsync();
        var stderr = await process.StandardError.ReadToEndAsync();
        (await process.WaitForExitAsync(TimeSpan.FromSeconds(30))).Should().BeTrue();
        File.Delete(kubeconfig);

        process.ExitCode.Should().NotBe(0);
        var output = (stdout + stderr).Trim();
        output.Split('\n').Should().ContainSingle("one line, no stack trace");
        output.Should().Contain($"127.0.0.1:{port}").And.Contain("cannot reach").And.NotContain("   at ");
    }
}

internal static class ProcessExtensions
{
    public static async Task<bool> WaitForExitAsync(this Process p, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try { await p.WaitForExitAsync(cts.Token); return true; }
        catch (OperationCanceledException) { return false; }
    }
}

internal static class Posix
{
    [System.Runtime.InteropServices.DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int sig);

    public static void Kill(int pid, int signal) => kill(pid, signal);
}
