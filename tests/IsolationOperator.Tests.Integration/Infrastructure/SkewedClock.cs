namespace IsolationOperator.Tests.Integration.Infrastructure;

/// <summary>A wall clock that is off by a fixed amount, as on a node whose time jumped; timers run normally.</summary>
public sealed class SkewedClock(TimeSpan offset) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + offset;
}
