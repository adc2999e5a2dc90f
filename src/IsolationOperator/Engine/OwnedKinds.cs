using IsolationOperator.Api.V1Alpha1;
using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;

namespace IsolationOperator.Engine;

/// <summary>The kinds the operator watches and writes, each wired to KubernetesClient's typed calls.</summary>
public static class OwnedKinds
{
    private const string FieldManager = OperatorIdentity.FieldManager;

    public static readonly OwnedKind<V1Namespace> Namespaces = new()
    {
        ApiVersion = "v1", Kind = "Namespace", Resource = "namespaces", Namespaced = false,
        List = async (c, sel, limit, cont, ct) => Page(await c.CoreV1.ListNamespaceAsync(labelSelector: sel, limit: limit, continueParameter: cont, cancellationToken: ct)),
        Watch = (c, sel, rv, t, err, ct) => c.CoreV1.WatchListNamespaceAsync(allowWatchBookmarks: true, labelSelector: sel, resourceVersion: rv, timeoutSeconds: t, onError: err, cancellationToken: ct),
        Patch = (c, p, name, _, ct) => c.CoreV1.PatchNamespaceAsync(p, name, fieldManager: FieldManager, force: true, cancellationToken: ct),
        Replace = (c, o, ct) => c.CoreV1.ReplaceNamespaceAsync(o, o.Metadata.Name, fieldManager: FieldManager, cancellationToken: ct),
        Delete = (c, name, _, ct) => c.CoreV1.DeleteNamespaceAsync(name, propagationPolicy: "Background", cancellationToken: ct),
        Read = (c, name, _, ct) => c.CoreV1.ReadNamespaceAsync(name, cancellationToken: ct),
    };

    public static readonly OwnedKind<V1NetworkPolicy> NetworkPolicies = new()
    {
        ApiVersion = "networking.k8s.io/v1", Kind = "NetworkPolicy", Resource = "networkpolicies",
        List = async (c, sel, limit, cont, ct) => Page(await c.NetworkingV1.ListNetworkPolicyForAllNamespacesAsync(labelSelector: sel, limit: limit, continueParameter: cont, cancellationToken: ct)),
        Watch = (c, sel, rv, t, err, ct) => c.NetworkingV1.WatchListNetworkPolicyForAllNamespacesAsync(allowWatchBookmarks: true, labelSelector: sel, resourceVersion: rv, timeoutSeconds: t, onError: err, cancellationToken: ct),
        Patch = (c, p, name, ns, ct) => c.NetworkingV1.PatchNamespacedNetworkPolicyAsync(p, name, ns, fieldManager: FieldManager, force: true, cancellationToken: ct),
        Replace = (c, o, ct) => c.NetworkingV1.ReplaceNamespacedNetworkPolicyAsync(o, o.Metadata.Name, o.Metadata.NamespaceProperty, fieldManager: FieldManager, cancellationToken: ct),
        Delete = (c, name, ns, ct) => c.NetworkingV1.DeleteNamespacedNetworkPolicyAsync(name, ns, cancellationToken: ct),
        Read = (c, name, ns, ct) => c.NetworkingV1.ReadNamespacedNetworkPolicyAsync(name, ns, cancellationToken: ct),
    };

    public static readonly OwnedKind<V1ResourceQuota> ResourceQuotas = new()
    {
        ApiVersion = "v1", Kind = "ResourceQuota", Resource = "resourcequotas",
        List = async (c, sel, limit, cont, ct) => Page(await c.CoreV1.ListResourceQuotaForAllNamespacesAsync(labelSelector: sel, limit: limit, continueParameter: cont, cancellationToken: ct)),
        Watch = (c, sel, rv, t, err, ct) => c.CoreV1.WatchListResourceQuotaForAllNamespacesAsync(allowWatchBookmarks: true, labelSelector: sel, resourceVersion: rv, timeoutSeconds: t, onError: err, cancellationToken: ct),
        Patch = (c, p, name, ns, ct) => c.CoreV1.PatchNamespacedResourceQuotaAsync(p, name, ns, fieldManager: FieldManager, force: true, cancellationToken: ct),
        Replace = (c, o, ct) => c.CoreV1.ReplaceNamespacedResourceQuotaAsync(o, o.Metadata.Name, o.Metadata.NamespaceProperty, fieldManager: FieldManager, cancellationToken: ct),
        Delete = (c, name, ns, ct) => c.CoreV1.DeleteNamespacedResourceQuotaAsync(name, ns, cancellationToken: ct),
        Read = (c, name, ns, ct) => c.CoreV1.ReadNamespacedResourceQuotaAsync(name, ns, cancellationToken: ct),
    };

    public static readonly OwnedKind<V1LimitRange> LimitRanges = new()
    {
        ApiVersion = "v1", Kind = "LimitRange", Resource = "limitranges",
        List = async (c, sel, limit, cont, ct) => Page(await c.CoreV1.ListLimitRangeForAllNamespacesAsync(labelSelector: sel, limit: limit, continueParameter: cont, cancellationToken: ct)),
        Watch = (c, sel, rv, t, err, ct) => c.CoreV1.WatchListLimitRangeForAllNamespacesAsync(allowWatchBookmarks: true, labelSelector: sel, resourceVersion: rv, timeoutSeconds: t, onError: err, cancellationToken: ct),
        Patch = (c, p, name, ns, ct) => c.CoreV1.PatchNamespacedLimitRangeAsync(p, name, ns, fieldManager: FieldManager, force: true, cancellationToken: ct),
        Replace = (c, o, ct) => c.CoreV1.ReplaceNamespacedLimitRangeAsync(o, o.Metadata.Name, o.Metadata.NamespaceProperty, fieldManager: FieldManager, cancellationToken: ct),
        Delete = (c, name, ns, ct) => c.CoreV1.DeleteNamespacedLimitRangeAsync(name, ns, cancellationToken: ct),
        Read = (c, name, ns, ct) => c.CoreV1.ReadNamespacedLimitRangeAsync(name, ns, cancellationToken: ct),
    };

    public static readonly OwnedKind<V1ServiceAccount> ServiceAccounts = new()
    {
        ApiVersion = "v1", Kind = "ServiceAccount", Resource = "serviceaccounts",
        List = async (c, sel, limit, cont, ct) => Page(await c.CoreV1.ListServiceAccountForAllNamespacesAsync(labelSelector: sel, limit: limit, continueParameter: cont, cancellationToken: ct)),
        Watch = (c, sel, rv, t, err, ct) => c.CoreV1.WatchListServiceAccountForAllNamespacesAsync(allowWatchBookmarks: true, labelSelector: sel, resourceVersion: rv, timeoutSeconds: t, onError: err, cancellationToken: ct),
        Patch = (c, p, name, ns, ct) => c.CoreV1.PatchNamespacedServiceAccountAsync(p, name, ns, fieldManager: FieldManager, force: true, cancellationToken: ct),
        Replace = (c, o, ct) => c.CoreV1.ReplaceNamespacedServiceAccountAsync(o, o.Metadata.Name, o.Metadata.NamespaceProperty, fieldManager: FieldManager, cancellationToken: ct),
        Delete = (c, name, ns, ct) => c.CoreV1.DeleteNamespacedServiceAccountAsync(name, ns, cancellationToken: ct),
        Read = (c, name, ns, ct) => c.CoreV1.ReadNamespacedServiceAccountAsync(name, ns, cancellationToken: ct),
    };

    public static readonly OwnedKind<V1Secret> Secrets = new()
    {
        ApiVersion = "v1", Kind = "Secret", Resource = "secrets",
        List = async (c, sel, limit, cont, ct) => Page(await c.CoreV1.ListSecretForAllNamespacesAsync(labelSelector: sel, limit: limit, continueParameter: cont, cancellationToken: ct)),
        Watch = (c, sel, rv, t, err, ct) => c.CoreV1.WatchListSecretForAllNamespacesAsync(allowWatchBookmarks: true, labelSelector: sel, resourceVersion: rv, timeoutSeconds: t, onError: err, cancellationToken: ct),
        Patch = (c, p, name, ns, ct) => c.CoreV1.PatchNamespacedSecretAsync(p, name, ns, fieldManager: FieldManager, force: true, cancellationToken: ct),
        Replace = (c, o, ct) => c.CoreV1.ReplaceNamespacedSecretAsync(o, o.Metadata.Name, o.Metadata.NamespaceProperty, fieldManager: FieldManager, cancellationToken: ct),
        Delete = (c, name, ns, ct) => c.CoreV1.DeleteNamespacedSecretAsync(name, ns, cancellationToken: ct),
        Read = (c, name, ns, ct) => c.CoreV1.ReadNamespacedSecretAsync(name, ns, cancellationToken: ct),
    };

    public static readonly OwnedKind<V1RoleBinding> RoleBindings = new()
    {
        ApiVersion = "rbac.authorization.k8s.io/v1", Kind = "RoleBinding", Resource = "rolebindings",
        List = async (c, sel, limit, cont, ct) => Page(await c.RbacAuthorizationV1.ListRoleBindingForAllNamespacesAsync(labelSelector: sel, limit: limit, continueParameter: cont, cancellationToken: ct)),
        Watch = (c, sel, rv, t, err, ct) => c.RbacAuthorizationV1.WatchListRoleBindingForAllNamespacesAsync(allowWatchBookmarks: true, labelSelector: sel, resourceVersion: rv, timeoutSeconds: t, onError: err, cancellationToken: ct),
        Patch = (c, p, name, ns, ct) => c.RbacAuthorizationV1.PatchNamespacedRoleBindingAsync(p, name, ns, fieldManager: FieldManager, force: true, cancellationToken: ct),
        Replace = (c, o, ct) => c.RbacAuthorizationV1.ReplaceNamespacedRoleBindingAsync(o, o.Metadata.Name, o.Metadata.NamespaceProperty, fieldManager: FieldManager, cancellationToken: ct),
        Delete = (c, name, ns, ct) => c.RbacAuthorizationV1.DeleteNamespacedRoleBindingAsync(name, ns, cancellationToken: ct),
        Read = (c, name, ns, ct) => c.RbacAuthorizationV1.ReadNamespacedRoleBindingAsync(name, ns, cancellationToken: ct),
    };

    public static readonly OwnedKind<DemoTenant> DemoTenants = new()
    {
        ApiVersion = DemoTenant.ApiGroupVersion, Kind = DemoTenant.KindName, Resource = "demotenants", Namespaced = false,
        List = async (c, sel, limit, cont, ct) => DecodeItems(await c.CustomObjects.ListClusterCustomObjectAsync(
            DemoTenant.Group, DemoTenant.Version, DemoTenant.Plural, labelSelector: sel, limit: limit, continueParameter: cont, cancellationToken: ct)),
        Watch = (c, sel, rv, t, err, ct) => ConvertStream(c.CustomObjects.WatchListClusterCustomObjectAsync(
            DemoTenant.Group, DemoTenant.Version, DemoTenant.Plural, allowWatchBookmarks: true, labelSelector: sel,
            resourceVersion: rv, timeoutSeconds: t, onError: err, cancellationToken: ct)),
        Patch = async (c, p, name, _, ct) => Convert(await c.CustomObjects.PatchClusterCustomObjectAsync(p, DemoTenant.Group, DemoTenant.Version, DemoTenant.Plural, name, fieldManager: FieldManager, force: true, cancellationToken: ct)),
        Replace = async (c, o, ct) => Convert(await c.CustomObjects.ReplaceClusterCustomObjectAsync(o, DemoTenant.Group, DemoTenant.Version, DemoTenant.Plural, o.Metadata.Name, fieldManager: FieldManager, cancellationToken: ct)),
        Delete = (c, name, _, ct) => c.CustomObjects.DeleteClusterCustomObjectAsync(DemoTenant.Group, DemoTenant.Version, DemoTenant.Plural, name, cancellationToken: ct),
        Read = async (c, name, _, ct) => Convert(await c.CustomObjects.GetClusterCustomObjectAsync(DemoTenant.Group, DemoTenant.Version, DemoTenant.Plural, name, cancellationToken: ct)),
    };

    /// <summary>The kinds a DemoTenant owns inside its namespace, in the order pruning may delete them.</summary>
    public static readonly IReadOnlyList<IOwnedKind> Namespaced =
        [RoleBindings, NetworkPolicies, ResourceQuotas, LimitRanges, ServiceAccounts, Secrets];

    /// <summary>One event at a time: an object that does not decode becomes null (skipped and reported), never the end of the watch.</summary>
    private static async IAsyncEnumerable<(WatchEventType, DemoTenant?)> ConvertStream(IAsyncEnumerable<(WatchEventType, object)> events)
    {
        await foreach (var (type, raw) in events)
        {
            DemoTenant? tenant;
            try { tenant = Convert(raw); }
            catch (Exception e) when (e is JsonException or FormatException or InvalidOperationException) { tenant = null; }
            yield return (type, tenant);
        }
    }

    private static ListPage<T> Page<T>(IItems<T> list) where T : class =>
        new(list.Items.ToList(), ((IMetadata<V1ListMeta>)list).Metadata.ResourceVersion, ((IMetadata<V1ListMeta>)list).Metadata.ContinueProperty, []);

    /// <summary>A DemoTenant list decoded item by item: one the API server admitted but this client cannot read is skipped and named.</summary>
    private static ListPage<DemoTenant> DecodeItems(object raw)
    {
        var root = JsonNode.Parse(KubernetesJson.Serialize(raw))!;
        var items = new List<DemoTenant>();
        var bad = new List<string>();
        foreach (var item in root["items"]?.AsArray() ?? [])
        {
            try { items.Add(KubernetesJson.Deserialize<DemoTenant>(item!.ToJsonString())); }
            catch (Exception e) when (e is JsonException or FormatException or InvalidOperationException)
            {
                bad.Add(item?["metadata"]?["name"]?.GetValue<string>() ?? "?");
            }
        }
        var meta = root["metadata"];
        return new ListPage<DemoTenant>(items, meta?["resourceVersion"]?.GetValue<string>() ?? "", meta?["continue"]?.GetValue<string>(), bad);
    }

    public static DemoTenant Convert(object raw) => KubernetesJson.Deserialize<DemoTenant>(KubernetesJson.Serialize(raw));
}
