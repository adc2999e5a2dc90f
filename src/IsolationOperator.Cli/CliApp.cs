using System.CommandLine;
using IsolationOperator.Cli.Commands;
using IsolationOperator.Cli.Kube;
using IsolationOperator.Hosting;

namespace IsolationOperator.Cli;

/// <summary>The command tree of kubectl-demo and its one place that turns failures into a line and an exit code.</summary>
public static class CliApp
{
    public static RootCommand Build(CliConsole console, TimeProvider? time = null)
    {
        var options = new CliOptions();
        var verbs = new Verbs(options, console, time ?? TimeProvider.System);
        var root = new RootCommand("kubectl demo: create, share, extend and tear down demo environments (DemoTenants) with your own kubeconfig and rights.\n" + ExitCode.Help)
        {
            options.Kubeconfig, options.Context, options.As, options.AsGroup, options.Output,
            CreateCommand.Build(verbs), ListCommand.Build(verbs), DescribeCommand.Build(verbs),
            ExtendCommand.Build(verbs), SuspendCommands.Build(verbs, suspend: true), SuspendCommands.Build(verbs, suspend: false),
            GrantCommands.BuildGrant(verbs), GrantCommands.BuildRevoke(verbs),
            KubeconfigCommand.Build(verbs), VerifyVerb.Build(verbs), AuditVerb.Build(verbs), DeleteCommand.Build(verbs),
            CompletionCommand.Build(verbs),
        };
        return root;
    }

    /// <summary>The entry point (Program) and the tests' way in: same tree, any console.</summary>
    public static async Task<int> RunAsync(string[] args, CliConsole console, CancellationToken ct = default, TimeProvider? time = null)
    {
        var root = Build(console, time);
        try
        {
            var parse = root.Parse(args);
            if (parse.Errors.Count > 0 && parse.Action is System.CommandLine.Invocation.ParseErrorAction)
            {
                // Usage errors are exit 2 (System.CommandLine's own is 1, which here means "check failed").
                foreach (var error in parse.Errors) await console.Err.WriteLineAsync($"error: {error.Message}");
                await console.Err.WriteLineAsync($"see: kubectl demo {string.Join(' ', CommandPath(parse.CommandResult.Command))} --help".Replace("  ", " ", StringComparison.Ordinal));
                return ExitCode.Usage;
            }
            return await parse.InvokeAsync(new InvocationConfiguration { Output = console.Out, Error = console.Err, EnableDefaultExceptionHandler = false }, ct);
        }
        catch (Exception e)
        {
            var (message, code) = Explain(e);
            await console.Err.WriteLineAsync($"error: {message}");
            return code;
        }
    }

    public static (string Message, int Code) Explain(Exception e) => e switch
    {
        CliException c => (c.Message, c.ExitCode),
        k8s.Autorest.HttpOperationException h => Explain(ApiErrors.Explain(h)),
        ConnectionException c => (c.Message, ExitCode.Usage),
        k8s.Exceptions.KubeConfigException k => ($"kubeconfig: {k.Message}", ExitCode.Usage),
        HttpRequestException h => ($"cannot reach the Kubernetes API server: {Innermost(h).Message} (check your kubeconfig's server, VPN, or --context)", ExitCode.Usage),
        OperationCanceledException => ("cancelled", ExitCode.CheckFailed),
        _ => ($"{e.GetType().Name}: {e.Message}", ExitCode.Usage),
    };

    private static IEnumerable<string> CommandPath(Command c) =>
        c is RootCommand ? [] : (c.Parents.OfType<Command>().FirstOrDefault() is { } parent ? CommandPath(parent) : []).Append(c.Name);

    private static Exception Innermost(Exception e) => e.InnerException is null ? e : Innermost(e.InnerException);
}
