using IsolationOperator.Api.V1Alpha1;
using IsolationOperator.Desired;
using k8s;
using k8s.Models;

namespace IsolationOperator.Bench;

/// <summary>
/// The floor: what the API server and controller manager need to create one tenant's objects when nothing else
/// happens. The same objects the operator writes (TenantPlanner.Plan + DesiredState.Build), server-side applied in
/// the same order, one request each, by W concurrent writers over one client. Only the managed-by label differs,
/// so neither our operator nor any other caches them.
/// </summary>
public sealed class FloorWriter(IKubernetes client, int workers)
{
    private const string FieldManager = "isolation-bench-floor";

    public async Task WriteAsync(IReadOnlyList<DemoTenant> tenants, CancellationToken ct)
    {
        var next = -1;
        async Task Worker()
        {
            for (var i = Interlocked.Increment(ref next); i < tenants.Count; i = Interlocked.Increment(ref next))
                foreach (var o in Objects(tenants[i])) await ApplyAsync(o, ct);
        }
        await Task.WhenAll(Enumerable.Range(0, workers).Select(_ => Task.Run(Worker, ct)));
    }

    public static IReadOnlyList<IKubernetesObject<V1ObjectMeta>> Objects(DemoTenant tenant)
    {
        var now = DateTimeOffset.UtcNow;
        var planned = TenantPlanner.Plan(tenant, now);
        var plan = (planned.Plan ?? throw new InvalidOperationException(string.Join("; ", planned.Problems))) with { TenantUid = Guid.NewGuid().ToString() };
        var objects = DesiredState.Build(plan, tenant.Spec.Owner, tenant.Spec.Prospect, _ => null, _ => false, now);
        foreach (var o in objects) o.Metadata.Labels[TenantLabels.ManagedBy] = BenchTenants.FloorManagedBy;
        return objects;
    }

    private Task ApplyAsync(IKubernetesObject<V1ObjectMeta> o, CancellationToken ct)
    {
        var patch = new V1Patch(KubernetesJson.Serialize(o), V1Patch.PatchType.ApplyPatch);
        var (name, ns) = (o.Metadata.Name, o.Metadata.NamespaceProperty);
        return o switch
        {
            V1Namespace => client.CoreV1.PatchNamespaceAsync(patch, name, fieldManager: FieldManager, force: true, cancellationToken: ct),
            V1NetworkPolicy => client.NetworkingV1.PatchNamespacedNetworkPolicyAsync(patch, name, ns, fieldManager: FieldManager, force: true, cancellationToken: ct),
            V1ResourceQuota => client.CoreV1.PatchNamespacedResourceQuotaAsync(patch, name, ns, fieldManager: FieldManager, force: true, cancellationToken: ct),
            V1LimitRange => client.CoreV1.PatchNamespacedLimitRangeAsync(patch, name, ns, fieldManager: FieldManager, force: true, cancellationToken: ct),
            V1ServiceAccount => client.CoreV1.PatchNamespacedServiceAccountAsync(patch, name, ns, fieldManager: FieldManager, force: true, cancellationToken: ct),
            V1Secret => client.CoreV1.PatchNamespacedSecretAsync(patch, name, ns, fieldManager: FieldManager, force: true, cancellationToken: ct),
            V1Role => client.RbacAuthorizationV1.PatchNamespacedRoleAsync(patch, name, ns, fieldManager: FieldManager, force: true, cancellationToken: ct),
            V1RoleBinding => client.RbacAuthorizationV1.PatchNamespacedRoleBindingAsync(patch, name, ns, fieldManager: FieldManager, force: true, cancellationToken: ct),
            _ => throw new InvalidOperationException($"no apply for {o.Kind}"),
        };
    }
}
