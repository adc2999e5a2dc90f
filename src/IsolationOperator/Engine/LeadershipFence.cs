namespace IsolationOperator.Engine;

/// <summary>
/// Open while the last successful renewal is younger than RenewDeadline, by this process's monotonic clock.
/// Writes check it just before they leave, so a leader that was paused (SIGSTOP, a long GC, a frozen VM) and wakes
/// up after a standby took over cannot slip a write in before its renew loop notices.
/// </summary>
public sealed class LeadershipFence(TimeProvider time)
{
    private long _openUntil = long.MinValue;

    public bool IsOpen => time.GetTimestamp() < Volatile.Read(ref _openUntil);

    /// <summary>Open for <paramref name="validity"/> from <paramref name="since"/>, the timestamp taken before the renewal was sent.</summary>
    public void OpenFor(long since, TimeSpan validity) =>
        Volatile.Write(ref _openUntil, since + (long)(validity.TotalSeconds * time.TimestampFrequency));

    public void Close() => Volatile.Write(ref _openUntil, long.MinValue);
}
