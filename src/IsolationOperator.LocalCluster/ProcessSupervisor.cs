using System.Diagnostics;

namespace IsolationOperator.LocalCluster;

/// <summary>
/// Starts the plane's processes and stops them again (SIGTERM, then SIGKILL after a grace period).
/// Children write their output directly to files (via a `bash exec` redirect), so no pipe ties their
/// lifetime or throughput to ours.
/// </summary>
internal sealed class ProcessSupervisor
{
    public static readonly TimeSpan GracePeriod = TimeSpan.FromSeconds(5);

    private const string RedirectingExec = """out=$1; err=$2; shift 2; exec "$@" </dev/null >"$out" 2>"$err" """;
    private readonly List<SupervisedProcess> _processes = [];
    private readonly Lock _gate = new();
    private readonly string _logDirectory;
    private readonly string _pidFile;

    public ProcessSupervisor(string logDirectory, string pidFile)
    {
        _logDirectory = logDirectory;
        _pidFile = pidFile;
    }

    public IReadOnlyList<SupervisedProcess> Processes
    {
        get
        {
            lock (_gate)
            {
                return [.. _processes];
            }
        }
    }

    public SupervisedProcess Start(string name, string executable, IEnumerable<string> arguments)
    {
        var stdout = Path.Combine(_logDirectory, $"{name}.stdout.log");
        var stderr = Path.Combine(_logDirectory, $"{name}.stderr.log");
        var info = new ProcessStartInfo("bash") { UseShellExecute = false };
        foreach (var arg in (string[])["-c", RedirectingExec, name, stdout, stderr, executable, .. arguments])
        {
            info.ArgumentList.Add(arg);
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {executable}");
        var supervised = new SupervisedProcess(name, process, stdout, stderr);
        lock (_gate)
        {
            _processes.Add(supervised);
            // The watchdog reads this file only after we died, to know whom to kill.
            File.AppendAllText(_pidFile, $"{process.Id}\n");
        }

        return supervised;
    }

    /// <summary>A child stopped on purpose (a fault test's restart): no longer supervised.</summary>
    public void Forget(SupervisedProcess process)
    {
        lock (_gate)
        {
            _processes.Remove(process);
        }
    }

    /// <summary>The first child that died, if any: during start-up that is always a failure.</summary>
    public SupervisedProcess? FirstExited() => Processes.FirstOrDefault(p => p.HasExited);

    /// <summary>
    /// Reverse start order, one at a time: KCM, then the apiserver, then etcd. An apiserver whose etcd is already
    /// gone hangs in its graceful shutdown until SIGKILL; this way it exits in about a second.
    /// </summary>
    public async Task StopAllAsync()
    {
        foreach (var p in Processes.Reverse())
        {
            p.Signal(Posix.SigTerm);
            using var grace = new CancellationTokenSource(GracePeriod);
            try
            {
                await p.WaitForExitAsync(grace.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                p.Signal(Posix.SigKill);
                await p.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Blocking variant for ProcessExit handlers, where awaiting is not an option.</summary>
    public void StopAllNow()
    {
        foreach (var p in Processes.Reverse())
        {
            p.Signal(Posix.SigTerm);
            if (!p.WaitForExit(GracePeriod))
            {
                p.Signal(Posix.SigKill);
                p.WaitForExit(TimeSpan.FromSeconds(2));
            }
        }
    }
}
