using IsolationOperator.Api.V1Alpha1;
using IsolationOperator.Desired;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace IsolationOperator.Engine;

/// <summary>
/// One informer per kind: DemoTenants (optionally label-selected) and every owned kind. Only what a reconcile reads is
/// kept, so memory follows the number of tenants, not the size of the cluster: objects outside managed namespaces are
/// dropped on arrival (a labelled copy elsewhere, anyone's RoleBindings elsewhere), managedFields are stripped, and
/// Secrets keep their key names but not their values (read by name when a write needs them).
/// </summary>
public sealed class ClusterCache
{
    public ClusterCache(IKubernetes client, string? tenantSelector, ILoggerFactory logs, TimeSpan? watchTimeout = null)
    {
        var log = logs.CreateLogger<ClusterCache>();
        var timeout = watchTimeout ?? TimeSpan.FromMinutes(4);
        InformerOptions Owned(Action<object>? trim = null, string? selector = TenantLabels.ManagedSelector) => new()
        {
            LabelSelector = selector,
            Keep = meta => meta.NamespaceProperty is not { } ns || IsManagedNamespace(ns),
            Trim = o => { StripManagedFields(o); ShareStrings(o); trim?.Invoke(o); },
            WatchTimeout = timeout,
        };
        // DemoTenants keep their managedFields (status names who else changed the spec); only their repeated strings are shared.
        Tenants = new(client, OwnedKinds.DemoTenants, new InformerOptions { LabelSelector = tenantSelector, Trim = ShareStrings, WatchTimeout = timeout }, log);
        Namespaces = new(client, OwnedKinds.Namespaces, new InformerOptions { LabelSelector = TenantLabels.ManagedSelector, Trim = o => { StripManagedFields(o); ShareStrings(o); }, WatchTimeout = timeout }, log);
        NetworkPolicies = new(client, OwnedKinds.NetworkPolicies, Owned(), log);
        ResourceQuotas = new(client, OwnedKinds.ResourceQuotas, Owned(), log);
        LimitRanges = new(client, OwnedKinds.LimitRanges, Owned(), log);
        ServiceAccounts = new(client, OwnedKinds.ServiceAccounts, Owned(), log);
        // Never listed or watched: the operator may read Secrets only inside demo namespaces (its RoleBinding there),
        // so this store holds what it wrote or read by name (GeneratedSecrets), key names only.
        Secrets = new(client, OwnedKinds.Secrets, Owned(StripSecretValues), log);
        // All RoleBindings in managed namespaces, not only ours: one someone else made there is reported (never deleted).
        RoleBindings = new(client, OwnedKinds.RoleBindings, Owned(selector: null), log);
        // No watch tells the Secret store that a namespace went: forget its Secrets with it.
        Namespaces.Changed += (old, now) =>
        {
            if (now is null && old is not null)
                foreach (var s in Secrets.InNamespace(old.Metadata.Name)) Secrets.Remove(s.Metadata.NamespaceProperty, s.Metadata.Name);
        };
    }

    public Informer<DemoTenant> Tenants { get; }
    public Informer<V1Namespace> Namespaces { get; }
    public Informer<V1NetworkPolicy> NetworkPolicies { get; }
    public Informer<V1ResourceQuota> ResourceQuotas { get; }
    public Informer<V1LimitRange> LimitRanges { get; }
    public Informer<V1ServiceAccount> ServiceAccounts { get; }
    /// <summary>A store only (no list, no watch): filled by the operator's own reads and writes of Secrets.</summary>
    public Informer<V1Secret> Secrets { get; }
    public Informer<V1RoleBinding> RoleBindings { get; }

    public IReadOnlyList<IInformer> All =>
        [Tenants, Namespaces, NetworkPolicies, ResourceQuotas, LimitRanges, ServiceAccounts, RoleBindings];

    /// <summary>The informers that keep only objects in managed namespaces: they start once <see cref="Namespaces"/> is synced.</summary>
    public IReadOnlyList<IInformer> InManagedNamespaces => [NetworkPolicies, ResourceQuotas, LimitRanges, ServiceAccounts, RoleBindings];

    public bool IsManagedNamespace(string ns) => Namespaces.Get(null, ns) is not null;

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
        Hook(ServiceAccounts);
        RoleBindings.Changed += (old, now) =>
        {
            var meta = now?.Metadata ?? old?.Metadata;
            if ((TenantLabels.TenantOf(meta) ?? TenantOfNamespace(meta?.NamespaceProperty)) is { } t) enqueue(t);
        };
    }

    /// <summary>The tenant whose namespace this is, from the managed-namespace cache.</summary>
    public string? TenantOfNamespace(string? ns) => ns is null ? null : TenantLabels.TenantOf(Namespaces.Get(null, ns)?.Metadata);

    private static void StripManagedFields(object o)
    {
        if (o is IMetadata<V1ObjectMeta> m) m.Metadata.ManagedFields = null;
    }

    private static void ShareStrings(object o)
    {
        if (o is IMetadata<V1ObjectMeta> m) CachedStrings.ShareMetadata(m.Metadata);
        CachedObjects.Slim(o);
    }

    /// <summary>Key names stay (a missing key is visible); values never stay in memory: a tenant's 1 MiB Secret costs bytes.</summary>
    private static void StripSecretValues(object o)
    {
        if (o is not V1Secret s) return;
        s.StringData = null;
        s.Data = CachedStrings.ShareKeys(s.Data, _ => Array.Empty<byte>());
    }
}
