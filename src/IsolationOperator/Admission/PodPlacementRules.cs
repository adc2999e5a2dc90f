using System.Text.Json;

namespace IsolationOperator.Admission;

/// <summary>
/// Where a tenant's pod may run: no spec.nodeName (it skips the scheduler and every NoSchedule taint), no priority
/// class outside Operator:Admission:PriorityClasses, no toleration outside the tenant's spec.isolation.nodes.tolerations
/// (plus the not-ready/unreachable ones Kubernetes adds to every pod), the tenant's whole
/// spec.isolation.nodes.selector, and its spec.isolation.runtimeClassName. TenantPodMutator adds the last three at
/// create; this refuses pods that still lack them or try to leave them.
/// </summary>
public static class PodPlacementRules
{
    public static IEnumerable<string> Findings(JsonElement pod, WorkloadContext context)
    {
        var spec = pod.Get("spec");
        if (spec.Str("nodeName") is { Length: > 0 } node)
            yield return $"spec.nodeName \"{node}\" is not allowed: it skips the scheduler and the nodes' taints; remove it and let the scheduler place the pod";

        var priorityClasses = AdmissionOptions.Clean(context.Options.PriorityClasses);
        if (spec.Str("priorityClassName") is { Length: > 0 } priority && !priorityClasses.Contains(priority, StringComparer.Ordinal))
            yield return $"spec.priorityClassName \"{priority}\" is not allowed (Operator:Admission:PriorityClasses); " +
                         (priorityClasses.Count == 0 ? "remove it" : $"use one of {string.Join(", ", priorityClasses)} or remove it");

        var tenantTolerations = context.Tolerations;
        foreach (var t in spec.Items("tolerations").Select(Tolerations.Read).Where(t => !Tolerations.IsAllowed(t, tenantTolerations)))
            yield return $"toleration {Tolerations.Describe(t)} is not one this demo is given (spec.isolation.nodes.tolerations" +
                         (tenantTolerations.Count == 0 ? ": none" : ": " + string.Join(", ", tenantTolerations.Select(Tolerations.Describe))) +
                         $"); remove it, or {context.AskTheOwner}";

        var selector = spec.Map("nodeSelector");
        foreach (var (key, value) in context.NodeSelector.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            if (!selector.TryGetValue(key, out var actual))
                yield return $"spec.nodeSelector must keep {key}={value}: this demo runs on its own nodes (spec.isolation.nodes.selector); add it back";
            else if (actual != value)
                yield return $"spec.nodeSelector {key}={actual} is not allowed: this demo runs on its own nodes (spec.isolation.nodes.selector); use {key}={value}";
        }

        if (context.RuntimeClassName is { } runtime && spec.Str("runtimeClassName") != runtime)
            yield return $"spec.runtimeClassName must be {runtime}: every pod of this demo runs in that sandbox (spec.isolation.runtimeClassName)" +
                         (spec.Str("runtimeClassName") is { } other ? $", not {other}" : "") + "; set it";
    }
}
