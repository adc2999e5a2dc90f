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

    public Task<int> SuspendAsync(string ns, CancellationToken ct) =>
        PatchWorkloadsAsync(ns, (meta, replicas) => replicas is not 0 && !Has(meta) ? ScaleTo(0, replicas ?? 1) : null, ct);

    public Task<int> ResumeAsync(string ns, CancellationToken ct) =>
        PatchWorkloadsAsync(ns, (meta, _) => Saved(meta) is { } replicas ? Restore(replicas) : null, ct);

    /// <summary>Every Deployment and StatefulSet in the namespace gets the patch <paramref name="patchFor"/> gives it, if any.</summary>
    private async Task<int> PatchWorkloadsAsync(string ns, Func<V1ObjectMeta, int?, V1Patch?> patchFor, CancellationToken ct)
    {
        var changed = 0;
        foreach (var d in (await client.AppsV1.ListNamespacedDeploymentAsync(ns, cancellationToken: ct)).Items)
            if (patchFor(d.Metadata, d.Spec.Replicas) is { } patch)
            {
                await client.AppsV1.PatchNamespacedDeploymentAsync(patch, d.Metadata.Name, ns, fieldManager: OperatorIdentity.FieldManager, cancellationToken: ct);
                changed++;
            }
        foreach (var s in (await client.AppsV1.ListNamespacedStatefulSetAsync(ns, cancellationToken: ct)).Items)
            if (patchFor(s.Metadata, s.Spec.Replicas) is { } patch)
            {
                await client.AppsV1.PatchNamespacedStatefulSetAsync(patch, s.Metadata.Name, ns, fieldManager: OperatorIdentity.FieldManager, cancellationToken: ct);
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
