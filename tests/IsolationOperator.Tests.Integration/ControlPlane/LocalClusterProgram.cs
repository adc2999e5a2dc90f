using System.Diagnostics;
using IsolationOperator.Tests.Integration.Infrastructure;

namespace IsolationOperator.Tests.Integration.ControlPlaneTests;

/// <summary>The IsolationOperator.LocalCluster executable run as a child process, as a developer would run it.</summary>
internal sealed class LocalClusterProgram : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);
    private readonly Process _process;
    private readonly string _root;

    private LocalClusterProgram(Process process, string root)
    {
        _process = process;
        _root = root;
    }

    public string KubeconfigPath => Path.Combine(_root, "kubeconfig");

    /// <summary>Passed as --work-dir; it does not exist beforehand, so the plane owns (and deletes) it.</summary>
    public string WorkDirectory => Path.Combine(_root, "work");

    public static async Task<LocalClusterProgram> StartAsync()
    {
        var root = Directory.CreateTempSubdirectory("isolation-program-test-").FullName;
        // The test project references the LocalCluster project, so its dll and runtimeconfig sit next to ours.
        var dll = Path.Combine(AppContext.BaseDirectory, "IsolationOperator.LocalCluster.dll");
        var info = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var arg in (string[])[dll, "--kubeconfig", Path.Combine(root, "kubeconfig"), "--work-dir", Path.Combine(root, "work")])
        {
            info.ArgumentList.Add(arg);
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException("could not start the LocalCluster program");
        var program = new LocalClusterProgram(process, root);
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(StartTimeout);
        try
        {
            var line = await process.StandardOutput.ReadLineAsync(timeout.Token);
            line.Should().StartWith("control plane ready at https://127.0.0.1:").And.EndWith($"; kubeconfig {program.KubeconfigPath}");
            // Keep draining stdout so the child never blocks on a full pipe.
            _ = process.StandardOutput.ReadToEndAsync();
            return program;
        }
        catch (Exception e) when (e is OperationCanceledException or Xunit.Sdk.XunitException)
        {
            await program.DisposeAsync();
            throw new InvalidOperationException($"LocalCluster program did not report readiness: {await stderr}", e);
        }
    }

    /// <summary>etcd, kube-apiserver, kube-controller-manager of this program: found by their work-directory arguments.</summary>
    public IReadOnlyList<int> PlanePids()
    {
        var pids = new List<int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid))
            {
                continue;
            }

            try
            {
                var cmdline = File.ReadAllText(Path.Combine(dir, "cmdline")).Split('\0');
                var binary = Path.GetFileName(cmdline[0]);
                if (binary is "etcd" or "kube-apiserver" or "kube-controller-manager" && cmdline.Any(a => a.Contains(WorkDirectory, StringComparison.Ordinal)))
                {
                    pids.Add(pid);
                }
            }
            catch (IOException)
            {
                // Exited while we looked.
            }
        }

        return pids;
    }

    public void Signal(string signal)
    {
        using var kill = Process.Start("kill", [$"-{signal}", _process.Id.ToString()]);
        kill.WaitForExit();
    }

    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cts.Token);
        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            Signal("TERM");
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            try
            {
                await _process.WaitForExitAsync(cts.Token);
            }
            catch (OperationCanceledException)
            {
                _process.Kill();
            }
        }

        _process.Dispose();
        // Give a killed program's watchdog the chance to remove the work directory first.
        for (var i = 0; i < 100 && Directory.Exists(WorkDirectory); i++)
        {
            await Task.Delay(100);
        }

        Directory.Delete(_root, recursive: true);
    }
}
