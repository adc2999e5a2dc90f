using System.CommandLine;
using IsolationOperator.Cli.Rendering;

namespace IsolationOperator.Cli.Commands;

/// <summary>Options every verb takes (recursive on the root): which cluster, and how to print.</summary>
public sealed class CliOptions
{
    public Option<string?> Kubeconfig { get; } = new("--kubeconfig")
    {
        Description = "Path to the kubeconfig (default: $KUBECONFIG, else ~/.kube/config)",
        Recursive = true,
    };

    public Option<string?> Context { get; } = new("--context")
    {
        Description = "The kubeconfig context to use (default: its current context)",
        Recursive = true,
    };

    public Option<string?> As { get; } = new("--as")
    {
        Description = "Act as this user (impersonation, as kubectl --as; the server decides whether you may)",
        Recursive = true,
    };

    public Option<string[]> AsGroup { get; } = new("--as-group")
    {
        Description = "With --as: act with this group too; repeatable",
        Recursive = true,
    };

    public Option<string?> Output { get; } = new Option<string?>("--output")
    {
        Description = "Print json or yaml instead of text",
        Recursive = true,
    }.AcceptOnlyFromAmongValues(OutputFormat.Names);
}

internal static class OptionExtensions
{
    public static Option<T> AcceptOnlyFromAmongValues<T>(this Option<T> option, string[] values)
    {
        option.AcceptOnlyFromAmong(values);
        return option;
    }
}
