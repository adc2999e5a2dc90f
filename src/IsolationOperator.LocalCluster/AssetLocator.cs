using System.Diagnostics;

namespace IsolationOperator.LocalCluster;

/// <summary>Finds the folder with etcd / kube-apiserver / kube-controller-manager.</summary>
internal static class AssetLocator
{
    private const string ProvisionScript = "hack/provision-control-plane.sh";

    public static async Task<string> ResolveAsync(string? configured, CancellationToken ct)
    {
        if (!string.IsNullOrEmpty(configured))
        {
            return configured;
        }

        var fromEnv = Environment.GetEnvironmentVariable("KUBEBUILDER_ASSETS");
        if (!string.IsNullOrEmpty(fromEnv))
        {
            return fromEnv;
        }

        var root = FindRepositoryRoot()
            ?? throw new InvalidOperationException(
                "No AssetsDirectory, no KUBEBUILDER_ASSETS and no IsolationOperator.sln above "
                + $"{AppContext.BaseDirectory} or {Environment.CurrentDirectory}: cannot locate the control plane binaries.");
        return await RunProvisionScriptAsync(root, ct).ConfigureAwait(false);
    }

    private static string? FindRepositoryRoot()
    {
        foreach (var start in new[] { AppContext.BaseDirectory, Environment.CurrentDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "IsolationOperator.sln")))
                {
                    return dir.FullName;
                }
            }
        }

        return null;
    }

    private static async Task<string> RunProvisionScriptAsync(string repositoryRoot, CancellationToken ct)
    {
        var info = new ProcessStartInfo("bash")
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = repositoryRoot,
        };
        info.ArgumentList.Add(Path.Combine(repositoryRoot, ProvisionScript));
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"could not run {ProvisionScript}");
        // Read both streams concurrently: a first-time build writes a lot to stderr.
        var stdout = process.StandardOutput.ReadToEndAsync(ct);
        var stderr = process.StandardError.ReadToEndAsync(ct);
        await process.WaitForExitAsync(ct).ConfigureAwait(false);
        var output = (await stdout.ConfigureAwait(false)).Trim();
        if (process.ExitCode != 0 || output.Length == 0)
        {
            var err = await stderr.ConfigureAwait(false);
            throw new InvalidOperationException(
                $"{ProvisionScript} failed with exit code {process.ExitCode}:\n{string.Join('\n', err.Split('\n').TakeLast(30))}");
        }

        // The folder is the last line; anything before it would be noise.
        return output.Split('\n')[^1].Trim();
    }
}
