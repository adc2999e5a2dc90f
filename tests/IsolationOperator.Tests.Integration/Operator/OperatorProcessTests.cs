using IsolationOperator.Tests.Integration.Infrastructure;

namespace IsolationOperator.Tests.Integration.Operator;

/// <summary>The operator as a user runs it: a process with a kubeconfig, stopped by SIGTERM.</summary>
public sealed class OperatorProcessTests(ControlPlaneFixture fixture) : IClassFixture<ControlPlaneFixture>
{
    [Fact]
    public async Task Operator_connects_serves_health_and_metrics_and_exits_zero_on_sigterm()
    {
        await Crd.InstallAsync(fixture.Plane);
        var port = OperatorProcess.FreePort();
        using var op = OperatorProcess.Start(fixture.Plane.KubeconfigPath, new Dictionary<string, string>
        {
            ["MetricsPort"] = port.ToString(),
            ["LeaseNamespace"] = "default",
            ["LeaseName"] = UniqueName.For("lease"),
            ["TenantSelector"] = "isolation.demo.dev/test-run=process",
        });
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        await Eventually.HoldsAsync("/readyz 200", async () => (await http.GetAsync("/readyz")).IsSuccessStatusCode, TimeSpan.FromSeconds(30));
        (await http.GetStringAsync("/healthz")).Should().Be("ok");
        var metrics = await http.GetStringAsync("/metrics");
        metrics.Should().Contain("isolation_operator_workqueue_depth").And.Contain("isolation_operator_leader 1");

        op.Signal(15);
        (await op.WaitForExitAsync(TimeSpan.FromSeconds(30))).Should().BeTrue("SIGTERM stops the operator");
        op.ExitCode.Should().Be(0);
        op.Output.Should().Contain("connected to").And.Contain("v1.20").And.Contain("became leader");
    }

    [Fact]
    public async Task Unreachable_server_gives_one_clear_line_and_a_non_zero_exit()
    {
        var kubeconfig = Path.Combine(Path.GetTempPath(), UniqueName.For("unreachable") + ".yaml");
        var port = OperatorProcess.FreePort();
        await File.WriteAllTextAsync(kubeconfig, $$$"""
            apiVersion: v1
            kind: Config
            clusters: [{name: c, cluster: {server: "https://127.0.0.1:{{{port}}}", insecure-skip-tls-verify: true}}]
            users: [{name: u, user: {token: not-a-real-token}}]
            contexts: [{name: x, context: {cluster: c, user: u}}]
            current-context: x
            """);
        using var op = OperatorProcess.Start(kubeconfig, new Dictionary<string, string> { ["MetricsPort"] = OperatorProcess.FreePort().ToString() });
        (await op.WaitForExitAsync(TimeSpan.FromSeconds(30))).Should().BeTrue();
        File.Delete(kubeconfig);

        op.ExitCode.Should().NotBe(0);
        var output = op.Output.Trim();
        output.Split('\n').Should().ContainSingle("one line, no stack trace");
        output.Should().Contain($"127.0.0.1:{port}").And.Contain("cannot reach").And.NotContain("   at ");
    }
}
