using IsolationOperator.Api.V1Alpha1;

namespace IsolationOperator.Reconciliation;

/// <summary>What happened to a tenant since its last reconcile, as the reconciler observes it (one per pass).</summary>
public enum TenantEvent
{
    /// <summary>A valid spec, outside the warning window.</summary>
    SpecAccepted,
    /// <summary>A valid spec within the warning window before expiry.</summary>
    WarningWindowEntered,
    /// <summary>spec.suspended is true.</summary>
    SuspendRequested,
    /// <summary>spec.suspended is false while status still records a suspension.</summary>
    ResumeRequested,
    /// <summary>The spec cannot be used (what the CRD schema cannot catch).</summary>
    SpecRejected,
    /// <summary>The namespace exists and belongs to someone else.</summary>
    NamespaceTaken,
    /// <summary>The deadline passed by the local clock, but the API server's clock disagrees beyond the bound.</summary>
    ClockUntrusted,
    /// <summary>The effective deadline (never later than the last valid one) has passed.</summary>
    DeadlinePassed,
    /// <summary>The DemoTenant has a deletionTimestamp.</summary>
    DeletionRequested,
}

/// <summary>What a transition does, in this order. Access removal always comes before anything that can fail.</summary>
public enum LifecycleStep
{
    /// <summary>Delete the tenant's bindings that the current spec no longer allows (expired, removed, suspended).</summary>
    RevokeStaleAccess,
    /// <summary>Write phase Expired and expiredAt before anything irreversible happens.</summary>
    RecordExpiry,
    /// <summary>Delete every binding of the tenant and its workload ServiceAccount (its tokens die with it).</summary>
    RevokeAllAccess,
    DeleteNamespace,
    /// <summary>Write the saved replica counts to status before scaling anything down.</summary>
    RecordSuspension,
    StopWorkloads,
    /// <summary>Create or update the namespace and everything in it (isolation before access).</summary>
    ApplyDesired,
    RestoreWorkloads,
    RemoveFinalizer,
}

public sealed record Transition(string Phase, IReadOnlyList<LifecycleStep> Steps);

/// <summary>
/// The DemoTenant's life as an explicit state machine: (phase, event) → (next phase, steps). Pure. Two rules hold for
/// every row: an Expired demo is never revived (only deletion leaves Expired), and access removal is the first step
/// of every transition that keeps the namespace.
/// </summary>
public static class TenantLifecycle
{
    public static readonly IReadOnlyList<string> AllPhases =
    [
        Phases.Pending, Phases.Provisioning, Phases.Ready, Phases.Expiring, Phases.Suspended,
        Phases.Degraded, Phases.Failed, Phases.Expired, Phases.Terminating,
    ];

    private static readonly LifecycleStep[] Teardown = [LifecycleStep.RevokeAllAccess, LifecycleStep.DeleteNamespace];

    public static Transition Next(string? phase, TenantEvent e)
    {
        phase ??= Phases.Pending;
        if (e == TenantEvent.DeletionRequested)
            return new(Phases.Terminating, [.. Teardown, LifecycleStep.RemoveFinalizer]);
        // Terminating cannot be undone (deletionTimestamp is permanent); Expired only ends by deletion.
        if (phase == Phases.Terminating) return new(Phases.Terminating, [.. Teardown, LifecycleStep.RemoveFinalizer]);
        if (phase == Phases.Expired) return new(Phases.Expired, Teardown);

        return e switch
        {
            TenantEvent.DeadlinePassed => new(Phases.Expired, [LifecycleStep.RecordExpiry, .. Teardown]),
            // Nothing irreversible on an untrusted clock; removing access is always safe.
            TenantEvent.ClockUntrusted => new(phase, [LifecycleStep.RevokeStaleAccess]),
            TenantEvent.SpecRejected => new(Phases.Failed, [LifecycleStep.RevokeStaleAccess]),
            TenantEvent.NamespaceTaken => new(Phases.Failed, []),
            TenantEvent.SuspendRequested => new(Phases.Suspended,
                [LifecycleStep.RevokeStaleAccess, LifecycleStep.RecordSuspension, LifecycleStep.StopWorkloads, LifecycleStep.ApplyDesired]),
            TenantEvent.ResumeRequested => new(Phases.Ready,
                [LifecycleStep.RevokeStaleAccess, LifecycleStep.ApplyDesired, LifecycleStep.RestoreWorkloads]),
            TenantEvent.WarningWindowEntered => new(Phases.Expiring, [LifecycleStep.RevokeStaleAccess, LifecycleStep.ApplyDesired]),
            TenantEvent.SpecAccepted => new(Phases.Ready, [LifecycleStep.RevokeStaleAccess, LifecycleStep.ApplyDesired]),
            _ => throw new ArgumentOutOfRangeException(nameof(e), e, null),
        };
    }

    /// <summary>The one event that decides this pass, most final first.</summary>
    public static TenantEvent EventFor(LifecycleFacts f)
    {
        if (f.Deleting) return TenantEvent.DeletionRequested;
        if (f.DeadlinePassed) return f.ClockTrusted ? TenantEvent.DeadlinePassed : TenantEvent.ClockUntrusted;
        if (!f.SpecValid) return TenantEvent.SpecRejected;
        if (f.NamespaceForeign) return TenantEvent.NamespaceTaken;
        if (f.SuspendRequested) return TenantEvent.SuspendRequested;
        if (f.SuspensionRecorded) return TenantEvent.ResumeRequested;
        return f.InWarningWindow ? TenantEvent.WarningWindowEntered : TenantEvent.SpecAccepted;
    }

    /// <summary>
    /// The phase a provisioning transition ends in once its writes are done: Ready, Expiring and Suspended hold only
    /// when every condition does; a quota the controller has not counted yet is Provisioning, anything else Degraded.
    /// </summary>
    public static string Settle(string phase, bool allConditionsTrue, bool quotaPending) =>
        phase is not (Phases.Ready or Phases.Expiring or Phases.Suspended) || allConditionsTrue ? phase
        : quotaPending ? Phases.Provisioning : Phases.Degraded;
}

/// <summary>The facts one pass observes, from the spec, status, the caches and the clock.</summary>
public sealed record LifecycleFacts
{
    public bool Deleting { get; init; }
    public bool DeadlinePassed { get; init; }
    public bool ClockTrusted { get; init; } = true;
    public bool SpecValid { get; init; } = true;
    public bool NamespaceForeign { get; init; }
    public bool SuspendRequested { get; init; }
    public bool SuspensionRecorded { get; init; }
    public bool InWarningWindow { get; init; }
}
