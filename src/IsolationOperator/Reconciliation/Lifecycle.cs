using IsolationOperator.Api.V1Alpha1;
using IsolationOperator.Desired;

namespace IsolationOperator.Reconciliation;

public enum LifeStage { Active, Expiring, Expired }

/// <summary>Where a tenant stands in its life, from its spec, its recorded status and the clock. Pure.</summary>
public static class Lifecycle
{
    public static LifeStage Stage(DemoTenant tenant, TenantPlan plan, DateTimeOffset now, TimeSpan warningWindow)
    {
        // An expired demo stays expired: moving expiresAt later afterwards does not silently revive it.
        if (tenant.Status?.ExpiredAt is not null || tenant.Status?.Phase == Phases.Expired) return LifeStage.Expired;
        if (plan.ExpiresAt is not { } at) return LifeStage.Active;
        if (at <= now) return LifeStage.Expired;
        return at - now <= warningWindow ? LifeStage.Expiring : LifeStage.Active;
    }

    /// <summary>The moments at which this tenant's state changes by itself: the reconciler wakes up exactly then.</summary>
    public static IEnumerable<DateTimeOffset?> Deadlines(TenantPlan plan, TimeSpan warningWindow)
    {
        if (plan.ExpiresAt is { } at)
        {
            yield return at - warningWindow;
            yield return at;
        }
        foreach (var a in plan.Access) yield return a.ExpiresAt;
    }

    /// <summary>True when the expiry moved later than what status recorded (the demo was extended).</summary>
    public static bool WasExtended(DemoTenant tenant, TenantPlan plan) =>
        tenant.Status?.ExpiresAt is { } before && plan.ExpiresAt is { } after && after > before;
}
