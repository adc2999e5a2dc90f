using IsolationOperator.Cli;
using IsolationOperator.Tests.Integration.Infrastructure;

namespace IsolationOperator.Tests.Integration.Cli;

/// <summary>
/// Runs kubectl-demo in-process through its real entry point (the same command tree as the binary) with a
/// kubeconfig file, as a person would: stdout and stderr captured, nothing a terminal.
/// </summary>
public sealed class KubectlDemo(string kubeconfig)
{
    public string Kubeconfig => kubeconfig;

    public async Task<CommandResult> RunAsync(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        var code = await CliApp.RunAsync([.. args, "--kubeconfig", kubeconfig], CliConsole.Redirected(output, error), cts.Token);
        return new CommandResult(code, output.ToString(), error.ToString());
    }

    /// <summary>Runs and expects exit 0, showing everything it printed otherwise.</summary>
    public async Task<CommandResult> OkAsync(params string[] args)
    {
        var r = await RunAsync(args);
        r.ExitCode.Should().Be(0, $"kubectl demo {string.Join(' ', args)}: {r}");
        r.Stderr.Should().NotContain("   at ", "errors are one line, never a stack trace");
        return r;
    }
}
