using System.Text.Json;
using IsolationOperator.Api.V1Alpha1;
using IsolationOperator.Engine;
using k8s;
using k8s.Models;

namespace IsolationOperator.Reconciliation;

/// <summary>
/// Suspension stops everything that runs: Deployments, StatefulSets and ReplicaSets no Deployment owns are scaled to
/// zero, other pods (bare, from Jobs and CronJobs) are deleted, and the quota allows no pod while suspended. The counts
/// to restore are kept in the DemoTenant's status, which tenants cannot write; nothing on the workloads is trusted.
/// </summary>
public sealed class WorkloadSuspension(IKubernetes client)
{
    /// <summary>Workloads with replicas above zero, as they are now.</summary>
    public async Task<List<SuspendedWorkload>> RunningAsync(string ns, CancellationToken ct)
    {
        var running = new List<SuspendedWorkload>();
        foreach (var d in (await client.AppsV1.ListNamespacedDeploymentAsync(ns, cancellationToken: ct)).Items)
            if (d.Spec.Replicas is not 0) running.Add(new SuspendedWorkload { Kind = "Deployment", Name = d.Metadata.Name, Replicas = d.Spec.Replicas ?? 1 });
        foreach (var s in (await client.AppsV1.ListNamespacedStatefulSetAsync(ns, cancellationToken: ct)).Items)
            if (s.Spec.Replicas is not 0) running.Add(new SuspendedWorkload { Kind = "StatefulSet", Name = s.Metadata.Name, Replicas = s.Spec.Replicas ?? 1 });
        foreach (var r in (await client.AppsV1.ListNamespacedReplicaSetAsync(ns, cancellationToken: ct)).Items)
            if (r.Spec.Replicas is not 0 && r.Metadata.OwnerReferences is not { Count: > 0 })
                running.Add(new SuspendedWorkload { Kind = "ReplicaSet", Name = r.Metadata.Name, Replicas = r.Spec.Replicas ?? 1 });
        return running;
    }

    /// <summary>Scales the given workloads to zero and deletes pods no scaled controller will remove.</summary>
    /// <returns>How many objects were changed.</returns>
    public async Task<int> StopAsync(string ns, IEnumerable<SuspendedWorkload> running, CancellationToken ct)
    {
        var changed = 0;
        foreach (var w in running)
            if (await ScaleAsync(ns, w.Kind, w.Name, 0, ct)) changed++;
        foreach (var p in (await client.CoreV1.ListNamespacedPodAsync(ns, cancellationToken: ct)).Items)
        {
            if (p.Metadata.OwnerReferences?.Any(o => o.Kind is "ReplicaSet" or "StatefulSet") == true) continue;
            try
            {
                await client.CoreV1.DeleteNamespacedPodAsync(p.Metadata.Name, ns, cancellationToken: ct);
                OperatorMetrics.Writes.WithLabels("Pod", "delete").Inc();
                changed++;
            }
            catch (Exception e) when (ApiErrors.IsNotFound(e, "pods")) { }
        }
        return changed;
    }

    /// <summary>Puts back the recorded counts; a workload deleted meanwhile is skipped.</summary>
    public async Task<int> RestoreAsync(string ns, IEnumerable<SuspendedWorkload> recorded, CancellationToken ct)
    {
        var changed = 0;
        foreach (var w in recorded)
            if (await ScaleAsync(ns, w.Kind, w.Name, w.Replicas, ct)) changed++;
        return changed;
    }

    private async Task<bool> ScaleAsync(string ns, string kind, string name, int replicas, CancellationToken ct)
    {
        // A merge patch of spec.replicas only: the workload stays its owner's; the operator borrows one field.
        var patch = new V1Patch(JsonSerializer.Serialize(new { spec = new { replicas } }), V1Patch.PatchType.MergePatch);
        try
        {
            _ = kind switch
            {
                "Deployment" => (object)await client.AppsV1.PatchNamespacedDeploymentAsync(patch, name, ns, fieldManager: OperatorIdentity.FieldManager, cancellationToken: ct),
                "StatefulSet" => await client.AppsV1.PatchNamespacedStatefulSetAsync(patch, name, ns, fieldManager: OperatorIdentity.FieldManager, cancellationToken: ct),
                "ReplicaSet" => await client.AppsV1.PatchNamespacedReplicaSetAsync(patch, name, ns, fieldManager: OperatorIdentity.FieldManager, cancellationToken: ct),
                _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
            };
            OperatorMetrics.Writes.WithLabels(kind, "patch").Inc();
            return true;
        }
        catch (Exception e) when (ApiErrors.IsNotFound(e, kind.ToLowerInvariant() + "s")) { return false; }
    }
}
