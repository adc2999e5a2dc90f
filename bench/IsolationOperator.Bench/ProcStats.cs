using System.Globalization;
using System.Runtime.InteropServices;

namespace IsolationOperator.Bench;

/// <summary>CPU time and resident memory of a process, read from /proc like top does: no agent inside the operator.</summary>
public static partial class ProcStats
{
    private const int ScClkTck = 2; // _SC_CLK_TCK on Linux
    private static readonly double TicksPerSecond = sysconf(ScClkTck) is > 0 and var t ? t : 100;

    /// <summary>utime + stime of the process, in milliseconds.</summary>
    public static double CpuMilliseconds(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        // Fields after "(comm)": the name may contain spaces, so split after the last ')'.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        return ticks * 1000.0 / TicksPerSecond;
    }

    /// <summary>VmRSS in MiB.</summary>
    public static double RssMiB(int pid)
    {
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024.0;
        throw new InvalidOperationException($"no VmRSS for pid {pid}");
    }

    [LibraryImport("libc", EntryPoint = "sysconf")]
    private static partial long sysconf(int name);
}
