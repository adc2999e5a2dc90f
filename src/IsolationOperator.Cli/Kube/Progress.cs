namespace IsolationOperator.Cli.Kube;

/// <summary>
/// Waits for a state with one progress line on stderr: rewritten in place on a terminal, a new line per change
/// when redirected (so logs stay readable). Timing out is exit 1.
/// </summary>
public static class Progress
{
    public sealed record Step(bool Done, string State);

    public static async Task<string> WaitAsync(CliConsole console, string what, TimeSpan timeout, Func<CancellationToken, Task<Step>> poll, CancellationToken ct,
        TimeSpan? interval = null)
    {
        var started = DateTimeOffset.UtcNow;
        string? last = null;
        var width = 0;
        while (true)
        {
            var step = await poll(ct);
            var elapsed = DateTimeOffset.UtcNow - started;
            if (console.ErrorIsTerminal)
            {
                var line = $"{what}: {step.State} ({elapsed.TotalSeconds:0}s)";
                await console.Err.WriteAsync("\r" + line.PadRight(width));
                width = Math.Max(width, line.Length);
                if (step.Done) await console.Err.WriteLineAsync();
            }
            else if (step.State != last) await console.Err.WriteLineAsync($"{what}: {step.State}");
            last = step.State;
            if (step.Done) return step.State;
            if (elapsed >= timeout)
            {
                if (console.ErrorIsTerminal) await console.Err.WriteLineAsync();
                throw new CliException($"timed out after {timeout.TotalSeconds:0}s {what} (last: {step.State}); it may still get there: kubectl demo describe shows why not", ExitCode.CheckFailed);
            }
            await Task.Delay(interval ?? TimeSpan.FromSeconds(1), ct);
        }
    }
}
