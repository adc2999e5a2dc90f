using System.Diagnostics;

namespace IsolationOperator.Tests.Integration.Infrastructure;

/// <summary>Text for kubectl's stdin; converts implicitly from string.</summary>
public sealed record KubectlInput(string Text)
{
    public static implicit operator KubectlInput(string text) => new(text);
}

/// <summary>Runs kubectl (from PATH) against an explicit kubeconfig; never the ambient KUBECONFIG.</summary>
public static class Kubectl
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    public static Task<CommandResult> RunAsync(string kubeconfig, params string[] args) => RunAsync(kubeconfig, stdin: null, args);

    /// <summary>
    /// <paramref name="stdin"/> (a string) is piped in, e.g. a manifest for <c>apply -f -</c>. It is typed
    /// <see cref="KubectlInput"/> rather than string so that <c>RunAsync(kubeconfig, "get", "pods")</c> can never bind
    /// "get" to stdin: an identity conversion to string always beats the implicit one.
    /// </summary>
    public static async Task<CommandResult> RunAsync(string kubeconfig, KubectlInput? stdin, params string[] args)
    {
        var info = new ProcessStartInfo("kubectl");
        info.ArgumentList.Add($"--kubeconfig={kubeconfig}");
        foreach (var arg in args) info.ArgumentList.Add(arg);
        info.Environment.Remove("KUBECONFIG");
        return await ExternalCommand.RunAsync(info, stdin?.Text, Timeout, $"kubectl {string.Join(' ', args)}");
    }
}
