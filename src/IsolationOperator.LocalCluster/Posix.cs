using System.Runtime.InteropServices;

namespace IsolationOperator.LocalCluster;

/// <summary>The few libc calls .NET has no API for (Process.Kill only sends SIGKILL).</summary>
internal static partial class Posix
{
    public const int SigTerm = 15;
    public const int SigKill = 9;

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int KillNative(int pid, int signal);

    public static bool Signal(int pid, int signal) => KillNative(pid, signal) == 0;

    /// <summary>
    /// Field 22 of /proc/pid/stat: start time in clock ticks. Together with the pid it identifies a process
    /// even after the pid is recycled, which is what the watchdog compares.
    /// </summary>
    public static string? StartTime(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            // comm (field 2) may contain spaces and parentheses: split after the last ')'.
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return fields[19];
        }
        catch (IOException)
        {
            return null;
        }
    }
}
