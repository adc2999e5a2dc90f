using System.Collections.Concurrent;
using k8s.Models;

namespace IsolationOperator.Engine;

/// <summary>
/// Shares the strings that every tenant's cached objects repeat: Role rules (about 320 verbs, resources and API
/// groups per tenant), label and annotation keys, owner-reference kinds. Measured at 1000 tenants these were most of
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

    public static IList<string>? Share(IList<string>? list)
    {
        if (list is null) return null;
        for (var i = 0; i < list.Count; i++) list[i] = Share(list[i]);
        return list;
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

    /// <summary>
    /// Identical rules become one shared object: every tenant's Roles hold the same few dozen rules. Cached objects are
    /// never mutated (writes go through the API and come back as new objects), so sharing is safe.
    /// </summary>
    public static void ShareRules(V1Role role)
    {
        if (role.Rules is null) return;
        for (var i = 0; i < role.Rules.Count; i++) role.Rules[i] = Share(role.Rules[i]);
    }

    private static readonly ConcurrentDictionary<string, V1PolicyRule> Rules = new(StringComparer.Ordinal);

    private static V1PolicyRule Share(V1PolicyRule rule)
    {
        static string Part(IList<string>? l) => l is null ? "~" : string.Join(",", l);
        var key = string.Join("|", Part(rule.ApiGroups), Part(rule.Resources), Part(rule.Verbs), Part(rule.ResourceNames), Part(rule.NonResourceURLs));
        if (Rules.TryGetValue(key, out var shared)) return shared;
        if (Rules.Count >= Capacity / 10) return rule;
        rule.ApiGroups = Share(rule.ApiGroups);
        rule.Resources = Share(rule.Resources);
        rule.Verbs = Share(rule.Verbs);
        rule.ResourceNames = Share(rule.ResourceNames);
        rule.NonResourceURLs = Share(rule.NonResourceURLs);
        return Rules.GetOrAdd(key, rule);
    }

    private static IDictionary<string, string>? ShareKeys(IDictionary<string, string>? map, bool values)
    {
        if (map is null || map.Count == 0) return map;
        var copy = new Dictionary<string, string>(map.Count, StringComparer.Ordinal);
        foreach (var (k, v) in map) copy[Share(k)] = values ? Share(v) : v;
        return copy;
    }
}
