using System.Diagnostics;

namespace IsolationOperator.Tests.Integration.Infrastructure;

/// <summary>
/// Runs helm. The binary comes from <c>hack/install-helm.sh</c> (helm on PATH, else a cached download), asked once
/// per test run. Never uses the ambient KUBECONFIG: pass <c>--kubeconfig</c> for anything that talks to a cluster.
/// </summary>
public static class Helm
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(120);

    // The first caller runs the script (which may download helm, about a minute); the others wait for its answer.
    private static readonly Lazy<Task<string>> Binary = new(LocateAsync, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>The chart in this repository.</summary>
    public static string ChartPath { get; } = RepoRoot.File("charts", "isolation-operator");

    public static async Task<CommandResult> RunAsync(params string[] args)
    {
        var info = new ProcessStartInfo(await Binary.Value) { WorkingDirectory = RepoRoot.Path };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment.Remove("KUBECONFIG");
        info.Environment.Remove("HELM_KUBECONTEXT");
        info.Environment.Remove("HELM_NAMESPACE");
        return await ExternalCommand.RunAsync(info, null, Timeout, $"helm {string.Join(' ', args)}");
    }

    private static async Task<string> LocateAsync()
    {
        var info = new ProcessStartInfo("bash") { WorkingDirectory = RepoRoot.Path };
        info.ArgumentList.Add(RepoRoot.File("hack", "install-helm.sh"));
        var result = await ExternalCommand.RunAsync(info, null, Timeout, "bash hack/install-helm.sh");
        var path = result.Stdout.Trim().Split('\n').LastOrDefault()?.Trim();
        if (result.ExitCode != 0 || string.IsNullOrEmpty(path) || !File.Exists(path))
        {
            throw new InvalidOperationException($"hack/install-helm.sh did not provide helm: {result}");
        }

        return path;
    }

}
