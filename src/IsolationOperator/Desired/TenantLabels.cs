using k8s.Models;

namespace IsolationOperator.Desired;

/// <summary>Labels that mark what the operator owns; watches select on them and ownership checks read them.</summary>
public static class TenantLabels
{
    public const string ManagedBy = "app.kubernetes.io/managed-by";
    public const string ManagedByValue = "isolation-operator";
    public const string Tenant = "isolation.demo.dev/tenant";
    /// <summary>
    /// On the namespace: the UID of the DemoTenant that created it. Names are reused; a DemoTenant re-created under an
    /// old name must never adopt the previous prospect's namespace and data.
    /// </summary>
    public const string TenantUid = "isolation.demo.dev/tenant-uid";
    public const string ManagedSelector = ManagedBy + "=" + ManagedByValue;

    public static Dictionary<string, string> For(string tenant) => new()
    {
        [ManagedBy] = ManagedByValue,
        [Tenant] = tenant,
    };

    public static V1ObjectMeta Meta(string tenant, string name, string? ns = null) =>
        new() { Name = name, NamespaceProperty = ns, Labels = For(tenant) };

    /// <summary>The tenant an object belongs to, only when it carries both of our labels.</summary>
    public static string? TenantOf(V1ObjectMeta? meta) =>
        meta?.Labels is { } l && l.TryGetValue(ManagedBy, out var m) && m == ManagedByValue &&
        l.TryGetValue(Tenant, out var t) ? t : null;
}
