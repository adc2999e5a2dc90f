using IsolationOperator.Api.V1Alpha1;
using k8s.Models;

namespace IsolationOperator.Reconciliation;

public static class Conditions
{
    public static V1Condition Make(string type, bool ok, string reason, string message, long? generation) => new()
    {
        Type = type,
        Status = ok ? "True" : "False",
        Reason = reason,
        Message = message,
        ObservedGeneration = generation,
    };

    /// <summary>lastTransitionTime moves only when a condition's status changes (the Kubernetes convention).</summary>
    public static IList<V1Condition> WithTransitions(IEnumerable<V1Condition> next, IList<V1Condition>? previous, DateTime now)
    {
        var truncated = new DateTime(now.Ticks - now.Ticks % TimeSpan.TicksPerSecond, DateTimeKind.Utc);
        return next.Select(c =>
        {
            var old = previous?.FirstOrDefault(p => p.Type == c.Type);
            c.LastTransitionTime = old is not null && old.Status == c.Status ? old.LastTransitionTime : truncated;
            return c;
        }).ToList();
    }

    public static V1Condition? Find(DemoTenantStatus? status, string type) =>
        status?.Conditions?.FirstOrDefault(c => c.Type == type);
}
