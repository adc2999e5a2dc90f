namespace IsolationOperator.Engine;

/// <summary>
/// The three leader-election timings, checked as client-go checks them. The order is what makes one leader at a
/// time safe: a leader stops writing after RenewDeadline without a renewal, and a standby takes over only after
/// LeaseDuration without a change, so LeaseDuration - RenewDeadline is the margin for clocks that run at different rates.
/// </summary>
public sealed record LeaseTimings(TimeSpan LeaseDuration, TimeSpan RenewDeadline, TimeSpan RetryPeriod)
{
    /// <summary>client-go's JitterFactor: a renewal must be retryable at least once before the deadline.</summary>
    public const double RetryFactor = 1.2;

    /// <summary>Whole seconds, as the Lease records it (rounded up: a longer lease only delays a takeover).</summary>
    public int LeaseDurationSeconds => (int)Math.Ceiling(LeaseDuration.TotalSeconds);

    /// <summary>Throws with one line naming the settings when the timings cannot keep one leader at a time.</summary>
    public LeaseTimings Validated()
    {
        if (RetryPeriod <= TimeSpan.Zero)
            throw Bad($"Operator__RetryPeriod ({RetryPeriod}) must be positive");
        if (LeaseDuration < TimeSpan.FromSeconds(1))
            throw Bad($"Operator__LeaseDuration ({LeaseDuration}) must be at least 1 second (the Lease records whole seconds)");
        if (RenewDeadline.TotalMilliseconds <= RetryFactor * RetryPeriod.TotalMilliseconds)
            throw Bad($"Operator__RenewDeadline ({RenewDeadline}) must be longer than {RetryFactor} x Operator__RetryPeriod ({RetryPeriod}), so a failed renewal is retried before the deadline");
        if (LeaseDuration <= RenewDeadline)
            throw Bad($"Operator__LeaseDuration ({LeaseDuration}) must be longer than Operator__RenewDeadline ({RenewDeadline}): otherwise a standby can take the lease while the leader still writes");
        return this;
    }

    private static InvalidOperationException Bad(string message) => new(message);
}
