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

    /// <summary>The first child that died, if any: during start-up that is always a failure.</summary>
    public SupervisedProcess? FirstExited() => Processes.FirstOrDefault(p => p.HasExited);

    public async Task StopAllAsync()
    {
        var processes = Processes;
        foreach (var p in processes)
        {
            p.Signal(Posix.SigTerm);
        }

        using var grace = new CancellationTokenSource(GracePeriod);
        try
        {
            await Task.WhenAll(processes.Select(p => p.WaitForExitAsync(grace.Token))).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            foreach (var p in processes)
            {
                p.Signal(Posix.SigKill);
            }

            await Task.WhenAll(processes.Select(p => p.WaitForExitAsync(CancellationToken.None))).ConfigureAwait(false);
        }
    }

    /// <summary>Blocking variant for ProcessExit handlers, where awaiting is not an option.</summary>
    public void StopAllNow()
    {
        var processes = Processes;
        foreach (var p in processes)
        {
            p.Signal(Posix.SigTerm);
        }

        var deadline = DateTime.UtcNow + GracePeriod;
        foreach (var p in processes)
        {
            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero || !p.WaitForExit(left))
            {
                p.Signal(Posix.SigKill);
                p.WaitForExit(TimeSpan.FromSeconds(2));
            }
        }
    }
}
