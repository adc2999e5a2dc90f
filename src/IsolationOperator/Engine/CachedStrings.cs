using System.Collections.Concurrent;
using k8s.Models;

namespace IsolationOperator.Engine;

/// <summary>
/// Shares the strings that every tenant's cached objects repeat: label and annotation keys, owner-reference kinds
/// (Role rules were most of the rest until the tenant roles became ClusterRoles the operator does not cache). Measured at 1000 tenants these were most of
/// the heap's 750,000 strings. The pool is bounded so that objects someone else writes cannot grow it without limit.
/// </summary>
public static class CachedStrings
{
    private const int Capacity = 20_000;
    private static readonly ConcurrentDictionary<string, string> Pool = new(StringComparer.Ordinal);

    public static string Share(string s, int maxLength = 256)
    {
        if (Pool.TryGetValue(s, out var shared)) return shared;
        if (Pool.Count >= Capacity || s.Length > maxLength) return s;
        return Pool.GetOrAdd(s, s);
    }

    /// <summary>Label and annotation keys, label values (bounded vocabulary: managed-by, tenant roles), owner kinds.</summary>
    public static void ShareMetadata(V1ObjectMeta? meta)
    {
        if (meta is null) return;
        // Object names are mostly a fixed vocabulary (default-deny, tenant-quota, ...); the namespace is on every object of a tenant.
        if (meta.Name is { } name) meta.Name = Share(name);
        if (meta.NamespaceProperty is { } ns) meta.NamespaceProperty = Share(ns);
        meta.Labels = ShareKeys(meta.Labels, v => Share(v));
        meta.Annotations = ShareKeys(meta.Annotations);
        // The operator-version stamp is on every applied object and has one value per build.
        if (meta.Annotations is { } a && a.TryGetValue(ResourceApplier.VersionAnnotation, out var version)) a[ResourceApplier.VersionAnnotation] = Share(version);
        if (meta.OwnerReferences is { } owners)
            foreach (var o in owners) { o.ApiVersion = Share(o.ApiVersion); o.Kind = Share(o.Kind); }
    }

    /// <summary>A copy whose keys are the shared strings, and whose values are <paramref name="value"/>'s (unchanged without one).</summary>
    public static IDictionary<string, TValue>? ShareKeys<TValue>(IDictionary<string, TValue>? map, Func<TValue, TValue>? value = null)
    {
        if (map is null || map.Count == 0) return map;
        var copy = new Dictionary<string, TValue>(map.Count, StringComparer.Ordinal);
        foreach (var (k, v) in map) copy[Share(k)] = value is null ? v : value(v);
        return copy;
    }
}
