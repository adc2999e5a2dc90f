using IsolationOperator.Api.V1Alpha1;
using IsolationOperator.Desired;

namespace IsolationOperator.Reconciliation;

/// <summary>Deadlines of a tenant's life, from its spec, its recorded status and the clock. Pure.</summary>
public static class Lifecycle
{
    /// <summary>
    /// The expiry that counts. A valid spec decides (extending is allowed); a rejected spec can only bring the last
    /// valid deadline (status.expiresAt) earlier, never later or away: an invalid edit must not switch expiry off.
    /// </summary>
    public static DateTimeOffset? EffectiveExpiry(DemoTenant tenant, TenantPlan? validPlan)
    {
        if (validPlan is not null) return validPlan.ExpiresAt;
        var recorded = tenant.Status?.ExpiresAt;
        DateTimeOffset? fromSpec = null;
        try { fromSpec = TenantPlanner.ExpiresAt(tenant); }
        catch (Exception e) when (e is ArgumentException or OverflowException) { }
        return (recorded, fromSpec) switch
        {
            ({ } r, { } s) => r < s ? r : s,
            ({ } r, null) => r,
            (null, var s) => s,
        };
    }

    public static bool InWarningWindow(DateTimeOffset? expiresAt, DateTimeOffset now, TimeSpan window) =>
        expiresAt is { } at && at > now && at - now <= window;

    /// <summary>
    /// The moments at which this tenant's state changes by itself; only future ones, so a deadline already behind
    /// (the start of the warning window, once inside it) can never schedule an immediate wake-up.
    /// </summary>
    public static IEnumerable<DateTimeOffset?> Deadlines(DateTimeOffset? expiresAt, IEnumerable<AccessGrant> access, TimeSpan warningWindow, DateTimeOffset now)
    {
        var all = new List<DateTimeOffset?>();
        if (expiresAt is { } at)
        {
            all.Add(at - warningWindow);
            all.Add(at);
        }
        all.AddRange(access.Select(a => a.ExpiresAt));
        return all.Where(d => d > now);
    }

    /// <summary>True when the expiry moved later than what status recorded (the demo was extended).</summary>
    public static bool WasExtended(DemoTenant tenant, TenantPlan plan) =>
        tenant.Status?.ExpiresAt is { } before && plan.ExpiresAt is { } after && after > before;
}
