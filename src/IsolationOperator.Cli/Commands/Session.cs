using System.CommandLine;
using IsolationOperator.Cli.Kube;
using IsolationOperator.Cli.Rendering;

namespace IsolationOperator.Cli.Commands;

/// <summary>One invocation: the parsed command line, the console, and (on first use) the caller's cluster.</summary>
public sealed class Session(ParseResult parse, CliOptions options, CliConsole console, TimeProvider time)
{
    private KubeTarget? _target;
    private DemoTenantApi? _api;

    public ParseResult Parse => parse;
    public CliConsole Console => console;
    public TextWriter Out => console.Out;
    public TextWriter Err => console.Err;
    public DateTimeOffset Now => time.GetUtcNow();
    public TimeProvider Time => time;
    public string? Output => parse.GetValue(options.Output);

    public KubeTarget Target => _target ??= KubeTarget.Load(parse.GetValue(options.Kubeconfig), parse.GetValue(options.Context),
        parse.GetValue(options.As), parse.GetValue(options.AsGroup));
    public DemoTenantApi Api => _api ??= new DemoTenantApi(Target.Client());

    public T? Get<T>(Option<T> option) => parse.GetValue(option);
    public T? Get<T>(Argument<T> argument) => parse.GetValue(argument);

    /// <summary>The data as --output asks, else the human text.</summary>
    public async Task WriteAsync(object data, Func<string> human)
    {
        await Out.WriteAsync(Output is { } format ? OutputFormat.Render(data, format) : human());
        await Out.FlushAsync();
    }
}
