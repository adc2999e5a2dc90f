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
            options.Kubeconfig, options.Context, options.Output,
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

/// <summary>What every verb's builder needs: the shared options, and a way to run an action with a <see cref="Session"/>.</summary>
public sealed class Verbs(CliOptions options, CliConsole console, TimeProvider time)
{
    public CliOptions Options => options;

    public void Run(Command command, Func<Session, CancellationToken, Task<int>> action) =>
        command.SetAction((parse, ct) => action(new Session(parse, options, console, time), ct));

    public Argument<string> Name(string description = "The DemoTenant's name")
    {
        var argument = new Argument<string>("NAME") { Description = description };
        argument.CompletionSources.Add(context => TenantNames(context.ParseResult));
        return argument;
    }

    /// <summary>Completion of demo names: asks the cluster briefly; no answer, no names (completion must never hang or fail loudly).</summary>
    private IEnumerable<System.CommandLine.Completions.CompletionItem> TenantNames(ParseResult parse)
    {
        try
        {
            var target = KubeTarget.Load(parse.GetValue(options.Kubeconfig), parse.GetValue(options.Context));
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(3));
            var tenants = new DemoTenantApi(target.Client()).ListAsync(cts.Token).GetAwaiter().GetResult();
            return tenants.Select(t => new System.CommandLine.Completions.CompletionItem(t.Metadata.Name)).ToList();
        }
        catch (Exception e) when (e is CliException or HttpRequestException or OperationCanceledException or k8s.Autorest.HttpOperationException or k8s.Exceptions.KubeConfigException)
        {
            return [];
        }
    }

    public static Option<TimeSpan> Timeout(string what) => new("--timeout")
    {
        Description = $"How long to wait for {what} (e.g. 2m, 90s)",
        DefaultValueFactory = _ => TimeSpan.FromMinutes(2),
        CustomParser = r => Duration(r, "--timeout"),
    };

    /// <summary>A duration option's value (7d, 36h, 90m), its mistake reported as a usage error.</summary>
    public static TimeSpan Duration(System.CommandLine.Parsing.ArgumentResult r, string what)
    {
        try { return Model.DemoDuration.Parse(r.Tokens.Single().Value, what); }
        catch (CliException e) { r.AddError(e.Message); return default; }
    }

    public static DateTimeOffset Moment(System.CommandLine.Parsing.ArgumentResult r, string what)
    {
        try { return Model.DemoDuration.ParseMoment(r.Tokens.Single().Value, what); }
        catch (CliException e) { r.AddError(e.Message); return default; }
    }

    public static Option<bool> NoWait(string what) => new("--no-wait") { Description = $"Do not wait for {what}" };
}
