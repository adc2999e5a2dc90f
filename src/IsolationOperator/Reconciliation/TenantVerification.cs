using System.Collections.Concurrent;
using IsolationOperator.Api.V1Alpha1;
using IsolationOperator.Engine;
using IsolationOperator.Verification;
using k8s.Models;

namespace IsolationOperator.Reconciliation;

/// <summary>
/// When a demo's isolation is verified (after provisioning changed something, after a spec change, and every
/// Operator__VerificationPeriod), and how the result shows: condition IsolationVerified, status.verification, an
/// event when the result changes, and isolation_operator_verification_failures{tenant,check}. It reports only: a
/// failed check never makes the operator delete someone else's object. It does not decide Ready.
/// </summary>
public sealed class TenantVerification(IsolationVerifier verifier, ClusterCache cache, EventRecorder events, TimeSpan period, Desired.PlannerPolicy? policy = null)
{
    private readonly ConcurrentDictionary<string, HashSet<string>> _reported = new(StringComparer.Ordinal);

    public bool Enabled => period > TimeSpan.Zero;

    /// <returns>The condition and status to write (the previous ones when not due), and when the next run is due.</returns>
    public async Task<(V1Condition? Condition, VerificationStatus? Status, DateTimeOffset? Due)> RunAsync(ReconcilePass pass, bool changed, CancellationToken ct)
    {
        var t = pass.Tenant;
        var previous = t.Status?.Verification;
        var previousCondition = Conditions.Find(t.Status, ConditionTypes.IsolationVerified);
        if (!Enabled || pass.Plan is not { } plan) return (null, null, null);
        var next = NextDue(previous);
        var due = changed || next is null || previous!.ObservedGeneration != t.Metadata.Generation || pass.Now >= next;
        if (!due) return (previousCondition, previous, next);

        var labels = cache.Namespaces.Get(null, plan.Namespace)?.Metadata.Labels?.ToDictionary(kv => kv.Key, kv => kv.Value);
        var others = cache.Namespaces.Items.Select(n => n.Metadata.Name).Where(n => n != plan.Namespace);
        var result = await verifier.VerifyAsync(t.Metadata.Name, plan, labels, others, ct, previous?.Time, new DemoGrants(cache.Tenants.Items, policy));
        var status = new VerificationStatus
        {
            Time = result.Time, ObservedGeneration = t.Metadata.Generation, ChecksRun = result.Checks.Count,
            Failed = result.FailedText.Count > 0 ? result.FailedText.ToList() : null,
            Paths = result.Paths.Count > 0 ? result.Paths.ToList() : null,
        };
        var condition = Condition(result, t.Metadata.Generation);
        Report(t.Metadata.Name, result);
        if (previousCondition?.Status != condition.Status)
            events.Record(t, result.Passed ? EventRecorder.Normal : EventRecorder.Warning, condition.Reason, "Verify", condition.Message);
        return (condition, status, NextDue(status));
    }

    /// <summary>What the last verification said, unchanged (a pass that does not verify keeps it).</summary>
    public (V1Condition? Condition, VerificationStatus? Status, DateTimeOffset? Due) Previous(ReconcilePass pass) =>
        !Enabled ? (null, null, null) : (Conditions.Find(pass.Tenant.Status, ConditionTypes.IsolationVerified), pass.Tenant.Status?.Verification, null);

    /// <summary>A pass is due a period after the last; a failure is confirmed again within 30 s (it may have been a moment's).</summary>
    private DateTimeOffset? NextDue(VerificationStatus? last) =>
        last?.Time is not { } at ? null : at + (last.Failed is { Count: > 0 } || last.Paths is { Count: > 0 } ? TimeSpan.FromTicks(Math.Min(period.Ticks, TimeSpan.FromSeconds(30).Ticks)) : period);

    public static V1Condition Condition(VerificationResult r, long? generation)
    {
        if (r.Passed)
            return Conditions.Make(ConditionTypes.IsolationVerified, true, "Verified",
                $"{r.Checks.Count} access checks answered as isolation needs; no binding or policy outside the operator's opens a path. {r.Reachability} {r.NodeSharing}", generation);
        var parts = r.FailedText.Take(5).Concat(r.Paths.Take(5).Select(p => $"{p.Kind} {(p.Namespace is null ? "" : p.Namespace + "/")}{p.Name} {p.Opens}" +
            (p.ChangedBy is null ? "" : $" (last changed by {p.ChangedBy})"))).ToList();
        var more = r.Failed.Count + r.Paths.Count - parts.Count;
        return Conditions.Make(ConditionTypes.IsolationVerified, false, "IsolationBroken",
            $"{r.Failed.Count} of {r.Checks.Count} checks failed and {r.Paths.Count} path(s) found: {string.Join("; ", parts)}{(more > 0 ? $"; and {more} more in status.verification" : "")}. " +
            "The operator does not delete objects it does not own: remove them.", generation);
    }

    private void Report(string tenant, VerificationResult r)
    {
        var now = r.Failed.GroupBy(f => f.Id).ToDictionary(g => g.Key, g => g.Count());
        foreach (var p in r.Paths) now[$"path:{p.Kind}"] = now.GetValueOrDefault($"path:{p.Kind}") + 1;
        var before = _reported.GetOrAdd(tenant, _ => []);
        lock (before)
        {
            foreach (var gone in before.Except(now.Keys).ToList()) OperatorMetrics.VerificationFailures.RemoveLabelled(tenant, gone);
            foreach (var (check, count) in now) OperatorMetrics.VerificationFailures.WithLabels(tenant, check).Set(count);
            before.Clear();
            before.UnionWith(now.Keys);
        }
    }

    /// <summary>A tenant gone: its series go too.</summary>
    public void Forget(string tenant)
    {
        if (!_reported.TryRemove(tenant, out var checks)) return;
        lock (checks) foreach (var c in checks) OperatorMetrics.VerificationFailures.RemoveLabelled(tenant, c);
    }
}
