using System.CommandLine;
using IsolationOperator.Cli.Kube;

namespace IsolationOperator.Cli.Commands;

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
            var target = KubeTarget.Load(parse.GetValue(options.Kubeconfig), parse.GetValue(options.Context), parse.GetValue(options.As), parse.GetValue(options.AsGroup));
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
