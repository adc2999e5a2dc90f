namespace IsolationOperator.Engine;

public enum LeaseVerdict
{
    /// <summary>There is no Lease yet: create it.</summary>
    Create,
    /// <summary>Free or expired: take it over.</summary>
    Acquire,
    /// <summary>This replica's: renew it.</summary>
    Renew,
    /// <summary>Someone else holds it and it has not expired.</summary>
    HeldByOther,
}

/// <summary>
/// client-go's rule for one look at the Lease. Expiry is judged by this replica's own clock: how long ago it first
/// saw the record as it is now. The holder's timestamps come from another machine's clock and are never compared.
/// </summary>
public static class LeaseDecision
{
    /// <param name="sinceObservedChange">Local (monotonic) time since this replica first saw this record unchanged.</param>
    /// <param name="fallbackDuration">Used when the record names no duration of its own.</param>
    public static LeaseVerdict Decide(LeaseRecord? record, string identity, TimeSpan sinceObservedChange, TimeSpan fallbackDuration)
    {
        if (record is null) return LeaseVerdict.Create;
        if (record.Holder == identity) return LeaseVerdict.Renew;
        if (record.IsFree) return LeaseVerdict.Acquire;
        var duration = record.DurationSeconds is > 0 and var seconds ? TimeSpan.FromSeconds(seconds) : fallbackDuration;
        return sinceObservedChange >= duration ? LeaseVerdict.Acquire : LeaseVerdict.HeldByOther;
    }
}
