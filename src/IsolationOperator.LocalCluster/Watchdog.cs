using System.Diagnostics;

namespace IsolationOperator.LocalCluster;

/// <summary>
/// A detached shell (own session, so a SIGKILL of our process group or terminal does not reach it) that
/// polls our pid once a second. When we are gone without having cleaned up (e.g. the test host was
/// SIGKILLed), it sends SIGTERM (newest first), then SIGKILL after 5 s, to every pid in the pid file, and deletes the work
/// directory if we created it. PR_SET_PDEATHSIG is not usable from .NET (it fires when the forking *thread* exits).
/// </summary>
internal sealed class Watchdog
{
    // Guards against pid reuse twice: the owner is identified by pid + start time, and a child pid is only
    // signalled while its command line still mentions the work directory (all our children's do).
    // A zombie counts as dead: a killed owner stays one until its parent reaps it. The loops use builtins
    // (read, not cat) so polling stays cheap on a saturated machine. Children are stopped newest first, each
    // within what is left of one 5 s budget: an apiserver whose storage is already gone hangs in its graceful
    // shutdown. No comments inside the script: it is visible in `ps`, and `pgrep -f etcd` must not match it.
    private const string Script = """
        exec </dev/null >/dev/null 2>&1
        owner=$1; owner_start=$2; pidfile=$3; marker=$4; remove_dir=$5
        running() { local s; read -r s < /proc/$1/stat || return 1; s=${s##*) }; set -- $s; [ "$1" != Z ] && [ "$1" != X ] && echo "${20}"; }
        ours() { local c; c=$(tr '\0' ' ' < /proc/$1/cmdline) && [[ "$c" == *"$marker"* ]]; }
        while [ "$(running $owner)" = "$owner_start" ]; do sleep 1; done
        pids=""
        for p in $(< "$pidfile"); do running $p >/dev/null && ours $p && pids="$p $pids"; done
        ticks=50
        for p in $pids; do
          kill -TERM $p
          while [ $ticks -gt 0 ] && running $p >/dev/null; do sleep 0.1; ticks=$((ticks - 1)); done
        done
        left=""; for p in $pids; do running $p >/dev/null && left="$left $p"; done
        [ -n "$left" ] && kill -KILL $left
        [ -n "$remove_dir" ] && rm -rf -- "$remove_dir"
        """;

    private readonly Process _process;

    private Watchdog(Process process) => _process = process;

    public static Watchdog Start(string pidFile, string marker, string? directoryToRemove)
    {
        var self = Environment.ProcessId;
        var selfStart = Posix.StartTime(self) ?? throw new InvalidOperationException("cannot read /proc/self/stat");
        // setsid execs directly (we are not a group leader), so the Process pid is the shell's pid.
        var info = new ProcessStartInfo("setsid") { UseShellExecute = false };
        foreach (var arg in (string[])["bash", "-c", Script, "isolation-watchdog", self.ToString(), selfStart, pidFile, marker, directoryToRemove ?? ""])
        {
            info.ArgumentList.Add(arg);
        }

        return new Watchdog(Process.Start(info) ?? throw new InvalidOperationException("could not start the watchdog"));
    }

    /// <summary>Called after a clean stop: the watchdog has nothing left to guard.</summary>
    public void Stop()
    {
        if (!_process.HasExited)
        {
            Posix.Signal(_process.Id, Posix.SigKill);
            _process.WaitForExit(TimeSpan.FromSeconds(2));
        }

        _process.Dispose();
    }
}
