using IsolationOperator.Api.V1Alpha1;
using IsolationOperator.Desired;

namespace IsolationOperator.Admission;

/// <summary>
/// The maximum lifetime (creation to expiry, Operator:Admission:MaxLifetime) and the maximum extension of one change
/// (Operator:Admission:MaxExtension). Expiry is what the operator computes (TenantPlanner.ExpiresAt): spec.expiresAt,
/// else creation + spec.ttl, else none.
/// </summary>
public static class DemoTenantLifetime
{
    public static IEnumerable<string> Problems(AdmissionCall call, DemoTenant tenant, DemoTenant? old, AdmissionOptions options, DateTimeOffset now)
    {
        var created = Created(old) ?? Created(tenant) ?? now;
        var expiry = Expiry(tenant, created);
        var oldExpiry = old is null ? null : Expiry(old, created);
        if (call.Operation == "UPDATE" && expiry == oldExpiry) yield break; // only a change of the end date is judged

        if (options.MaxLifetime is { } max)
        {
            var limit = Durations.Go(max);
            if (expiry is null)
                yield return $"this demo has no end date, beyond the maximum lifetime of {limit} (Operator:Admission:MaxLifetime); " +
                             $"set spec.ttl to at most {limit}, or {options.AskAnAdmin}";
            else if (expiry.Value - created > max)
                yield return tenant.Spec.ExpiresAt is not null
                    ? $"spec.expiresAt {Durations.Moment(expiry.Value)} is {Durations.Go(expiry.Value - created)} after the demo's creation, beyond the maximum lifetime of " +
                      $"{limit} (Operator:Admission:MaxLifetime); use spec.expiresAt at most {Durations.Moment(created + max)}, or {options.AskAnAdmin}"
                    : $"spec.ttl {tenant.Spec.Ttl} exceeds the maximum lifetime of {limit} (Operator:Admission:MaxLifetime); use at most {limit}, or {options.AskAnAdmin}";
        }

        if (options.MaxExtension is { } step && call.Operation == "UPDATE" && oldExpiry is { } before && tenant.Status?.ExpiredAt is null)
        {
            var latest = before + step;
            if (options.MaxLifetime is { } lifetime && created + lifetime < latest) latest = created + lifetime;
            var instead = $"use spec.ttl: {Durations.GoFloorHours(latest - created)} (or spec.expiresAt: {Durations.Moment(latest)})";
            if (expiry is null)
                yield return $"removing the end date extends the demo without limit; one change may extend it by at most {Durations.Go(step)} " +
                             $"(Operator:Admission:MaxExtension): {instead}, or {options.AskAnAdmin}";
            else if (expiry.Value - before > step)
                yield return $"this change moves the end of the demo from {Durations.Moment(before)} to {Durations.Moment(expiry.Value)}, " +
                             $"{Durations.Go(expiry.Value - before)} later; one change may extend it by at most {Durations.Go(step)} " +
                             $"(Operator:Admission:MaxExtension): {instead}, or {options.AskAnAdmin}";
        }
    }

    private static DateTimeOffset? Created(DemoTenant? tenant) =>
        tenant?.Metadata.CreationTimestamp is { } c ? new DateTimeOffset(DateTime.SpecifyKind(c, DateTimeKind.Utc)) : null;

    /// <summary>The operator's expiry of the tenant, created at <paramref name="created"/> (a create may not carry its timestamp yet).</summary>
    internal static DateTimeOffset? Expiry(DemoTenant tenant, DateTimeOffset created)
    {
        if (tenant.Spec.ExpiresAt is { } at) return at.ToUniversalTime();
        return GoDuration.TryParse(tenant.Spec.Ttl, out var ttl) ? created.ToUniversalTime() + ttl : null;
    }
}
