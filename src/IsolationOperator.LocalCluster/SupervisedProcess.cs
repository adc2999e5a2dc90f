using System.Diagnostics;

namespace IsolationOperator.LocalCluster;

/// <summary>One child (etcd, kube-apiserver, ...) whose stdout/stderr go straight to files in the work directory.</summary>
internal sealed class SupervisedProcess
{
    private readonly Process _process;

    public SupervisedProcess(string name, Process process, string stdoutPath, string stderrPath)
    {
        Name = name;
        _process = process;
        Id = process.Id;
        StdoutPath = stdoutPath;
        StderrPath = stderrPath;
    }

    public string Name { get; }

    public int Id { get; }

    public string StdoutPath { get; }

    public string StderrPath { get; }

    public bool HasExited => _process.HasExited;

    public int? ExitCode => _process.HasExited ? _process.ExitCode : null;

    public void Signal(int signal)
    {
        // HasExited first: once .NET has reaped the child its pid may belong to someone else.
        if (!_process.HasExited)
        {
            Posix.Signal(Id, signal);
        }
    }

    public Task WaitForExitAsync(CancellationToken ct) => _process.WaitForExitAsync(ct);

    public bool WaitForExit(TimeSpan timeout) => _process.WaitForExit(timeout);

    /// <summary>Last lines of stderr (kube binaries and etcd log there), for error messages.</summary>
    public string StderrTail(int lines = 40)
    {
        try
        {
            using var stream = new FileStream(StderrPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            const int maxBytes = 64 * 1024;
            if (stream.Length > maxBytes)
            {
                stream.Seek(-maxBytes, SeekOrigin.End);
            }

            var text = new StreamReader(stream).ReadToEnd();
            var all = text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            return string.Join('\n', all.TakeLast(lines));
        }
        catch (IOException e)
        {
            return $"(no log: {e.Message})";
        }
    }

    public string Describe() =>
        // No log path: a failed start deletes the work directory, so the tail is all that survives.
        $"{Name} (pid {Id}{(HasExited ? $", exited with {ExitCode}" : "")}), last lines of stderr:\n{StderrTail()}";
}
