using k8s.Models;

namespace IsolationOperator.Engine;

/// <summary>What a coordination.k8s.io/v1 Lease says about its holder; value equality tells "the record changed".</summary>
public sealed record LeaseRecord(string? Holder, int? DurationSeconds, DateTime? AcquireTime, DateTime? RenewTime, int? Transitions)
{
    public bool IsFree => string.IsNullOrEmpty(Holder);

    public static LeaseRecord? From(V1Lease? lease) => lease?.Spec is { } s
        ? new LeaseRecord(s.HolderIdentity, s.LeaseDurationSeconds, s.AcquireTime, s.RenewTime, s.LeaseTransitions)
        : null;

    /// <summary>A new holder: a fresh acquire time and one more transition.</summary>
    public static LeaseRecord TakenFrom(LeaseRecord? previous, string identity, int durationSeconds, DateTime now) =>
        new(identity, durationSeconds, now, now, (previous?.Transitions ?? 0) + 1);

    /// <summary>The same holder again: only the renew time (and our duration) change.</summary>
    public LeaseRecord RenewedBy(string identity, int durationSeconds, DateTime now) =>
        this with { Holder = identity, DurationSeconds = durationSeconds, RenewTime = now, AcquireTime = AcquireTime ?? now };

    /// <summary>client-go's ReleaseOnCancel: no holder and a 1 s duration, so a standby may take it at once.</summary>
    public LeaseRecord Released(DateTime now) => new(null, 1, now, now, Transitions);

    public V1LeaseSpec ToSpec() => new()
    {
        HolderIdentity = Holder,
        LeaseDurationSeconds = DurationSeconds,
        AcquireTime = AcquireTime,
        RenewTime = RenewTime,
        LeaseTransitions = Transitions,
    };
}
