using System.Globalization;
using System.Text.Json;
using IsolationOperator.Engine;
using k8s;
using k8s.Models;

namespace IsolationOperator.Reconciliation;

/// <summary>
/// Suspending scales Deployments and StatefulSets to zero and remembers each one's replicas in an annotation on the
/// object itself (so a restart loses nothing); resuming puts them back. Runs only on a suspend/resume transition.
/// </summary>
public sealed class WorkloadSuspension(IKubernetes client)
{
    public const string ReplicasAnnotation = "isolation.demo.dev/suspended-replicas";

    public async Task<int> SuspendAsync(string ns, CancellationToken ct)
    {
        var changed = 0;
        foreach (var d in (await client.AppsV1.ListNamespacedDeploymentAsync(ns, cancellationToken: ct)).Items)
            if (d.Spec.Replicas is not 0 && !Has(d.Metadata))
            {
                await client.AppsV1.PatchNamespacedDeploymentAsync(ScaleTo(0, d.Spec.Replicas ?? 1), d.Metadata.Name, ns, fieldManager: OperatorIdentity.FieldManager, cancellationToken: ct);
                changed++;
            }
        foreach (var s in (await client.AppsV1.ListNamespacedStatefulSetAsync(ns, cancellationToken: ct)).Items)
            if (s.Spec.Replicas is not 0 && !Has(s.Metadata))
            {
                await client.AppsV1.PatchNamespacedStatefulSetAsync(ScaleTo(0, s.Spec.Replicas ?? 1), s.Metadata.Name, ns, fieldManager: OperatorIdentity.FieldManager, cancellationToken: ct);
                changed++;
            }
        OperatorMetrics.Writes.WithLabels("Workload", "patch").Inc(changed);
        return changed;
    }

    public async Task<int> ResumeAsync(string ns, CancellationToken ct)
    {
        var changed = 0;
        foreach (var d in (await client.AppsV1.ListNamespacedDeploymentAsync(ns, cancellationToken: ct)).Items)
            if (Saved(d.Metadata) is { } replicas)
            {
                await client.AppsV1.PatchNamespacedDeploymentAsync(Restore(replicas), d.Metadata.Name, ns, fieldManager: OperatorIdentity.FieldManager, cancellationToken: ct);
                changed++;
            }
        foreach (var s in (await client.AppsV1.ListNamespacedStatefulSetAsync(ns, cancellationToken: ct)).Items)
            if (Saved(s.Metadata) is { } replicas)
            {
                await client.AppsV1.PatchNamespacedStatefulSetAsync(Restore(replicas), s.Metadata.Name, ns, fieldManager: OperatorIdentity.FieldManager, cancellationToken: ct);
                changed++;
            }
        OperatorMetrics.Writes.WithLabels("Workload", "patch").Inc(changed);
        return changed;
    }

    private static bool Has(V1ObjectMeta m) => m.Annotations?.ContainsKey(ReplicasAnnotation) == true;

    private static int? Saved(V1ObjectMeta m) =>
        m.Annotations?.TryGetValue(ReplicasAnnotation, out var v) == true && int.TryParse(v, CultureInfo.InvariantCulture, out var n) ? n : null;

    // Merge patches: the replica count is the workload owner's field, borrowed only for the suspension.
    private static V1Patch ScaleTo(int replicas, int previous) => new(JsonSerializer.Serialize(new
    {
        metadata = new { annotations = new Dictionary<string, string> { [ReplicasAnnotation] = previous.ToString(CultureInfo.InvariantCulture) } },
        spec = new { replicas },
    }), V1Patch.PatchType.MergePatch);

    private static V1Patch Restore(int replicas) => new(JsonSerializer.Serialize(new
    {
        metadata = new { annotations = new Dictionary<string, string?> { [ReplicasAnnotation] = null } },
        spec = new { replicas },
    }), V1Patch.PatchType.MergePatch);
}
