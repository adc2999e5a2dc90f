using IsolationOperator.Desired;
using IsolationOperator.Engine;
using k8s;
using k8s.Models;

namespace IsolationOperator.Reconciliation;

/// <summary>
/// The cached objects of one tenant, and only inside its own namespace: a copy someone made elsewhere keeps our
/// labels but is not ours to change or delete.
/// </summary>
public static class TenantObjects
{
    public static IEnumerable<T> In<T>(Informer<T> informer, string tenant, string ns) where T : class, IKubernetesObject<V1ObjectMeta> =>
        informer.InNamespace(ns).Where(o => TenantLabels.TenantOf(o.Metadata) == tenant);
}
