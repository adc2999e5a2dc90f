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

    public static string Share(string s)
    {
        if (Pool.TryGetValue(s, out var shared)) return shared;
        if (Pool.Count >= Capacity || s.Length > 256) return s;
        return Pool.GetOrAdd(s, s);
    }

    /// <summary>Label and annotation keys, label values (bounded vocabulary: managed-by, tenant roles), owner kinds.</summary>
    public static void ShareMetadata(V1ObjectMeta? meta)
    {
        if (meta is null) return;
        meta.Labels = ShareKeys(meta.Labels, values: true);
        meta.Annotations = ShareKeys(meta.Annotations, values: false);
        if (meta.OwnerReferences is { } owners)
            foreach (var o in owners) { o.ApiVersion = Share(o.ApiVersion); o.Kind = Share(o.Kind); }
    }

    private static IDictionary<string, string>? ShareKeys(IDictionary<string, string>? map, bool values)
    {
        if (map is null || map.Count == 0) return map;
        var copy = new Dictionary<string, string>(map.Count, StringComparer.Ordinal);
        foreach (var (k, v) in map) copy[Share(k)] = values ? Share(v) : v;
        return copy;
    }
}
