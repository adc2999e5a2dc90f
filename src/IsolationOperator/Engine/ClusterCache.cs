using IsolationOperator.Api.V1Alpha1;
using IsolationOperator.Desired;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace IsolationOperator.Engine;

/// <summary>One informer per kind: DemoTenants (optionally label-selected) and every owned kind, selected by our label.</summary>
public sealed class ClusterCache
{
    public ClusterCache(IKubernetes client, string? tenantSelector, ILoggerFactory logs)
    {
        var log = logs.CreateLogger<ClusterCache>();
        Tenants = new(client, OwnedKinds.DemoTenants, tenantSelector, log);
        Namespaces = new(client, OwnedKinds.Namespaces, TenantLabels.ManagedSelector, log);
        NetworkPolicies = new(client, OwnedKinds.NetworkPolicies, TenantLabels.ManagedSelector, log);
        ResourceQuotas = new(client, OwnedKinds.ResourceQuotas, TenantLabels.ManagedSelector, log);
        LimitRanges = new(client, OwnedKinds.LimitRanges, TenantLabels.ManagedSelector, log);
        ServiceAccounts = new(client, OwnedKinds.ServiceAccounts, TenantLabels.ManagedSelector, log);
        Secrets = new(client, OwnedKinds.Secrets, TenantLabels.ManagedSelector, log);
        Roles = new(client, OwnedKinds.Roles, TenantLabels.ManagedSelector, log);
        // All RoleBindings, not only ours: one someone else made in a tenant namespace is reported (never deleted).
        RoleBindings = new(client, OwnedKinds.RoleBindings, null, log);
    }

    public Informer<DemoTenant> Tenants { get; }
    public Informer<V1Namespace> Namespaces { get; }
    public Informer<V1NetworkPolicy> NetworkPolicies { get; }
    public Informer<V1ResourceQuota> ResourceQuotas { get; }
    public Informer<V1LimitRange> LimitRanges { get; }
    public Informer<V1ServiceAccount> ServiceAccounts { get; }
    public Informer<V1Secret> Secrets { get; }
    public Informer<V1Role> Roles { get; }
    public Informer<V1RoleBinding> RoleBindings { get; }

    public IReadOnlyList<IInformer> All =>
        [Tenants, Namespaces, NetworkPolicies, ResourceQuotas, LimitRanges, ServiceAccounts, Secrets, Roles, RoleBindings];

    /// <summary>Calls back with the owning tenant's name whenever an owned object changes.</summary>
    public void OnOwnedChange(Action<string> enqueue)
    {
        void Hook<T>(Informer<T> i) where T : class, IKubernetesObject<V1ObjectMeta> =>
            i.Changed += (old, now) =>
            {
                if (TenantLabels.TenantOf(now?.Metadata ?? old?.Metadata) is { } t) enqueue(t);
                else if (TenantLabels.TenantOf(old?.Metadata) is { } was) enqueue(was); // label removed by someone
            };
        Hook(Namespaces); Hook(NetworkPolicies); Hook(ResourceQuotas); Hook(LimitRanges);
        Hook(ServiceAccounts); Hook(Secrets); Hook(Roles);
        RoleBindings.Changed += (old, now) =>
        {
            var meta = now?.Metadata ?? old?.Metadata;
            if ((TenantLabels.TenantOf(meta) ?? TenantOfNamespace(meta?.NamespaceProperty)) is { } t) enqueue(t);
        };
    }

    /// <summary>The tenant whose namespace this is, from the managed-namespace cache.</summary>
    public string? TenantOfNamespace(string? ns) => ns is null ? null : TenantLabels.TenantOf(Namespaces.Get(null, ns)?.Metadata);
}
