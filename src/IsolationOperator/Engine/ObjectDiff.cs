using System.Text.Json.Nodes;
using k8s;
using k8s.Models;

namespace IsolationOperator.Engine;

/// <summary>
/// Where a live object departs from the desired one. Labels and annotations we set must be present (others may add
/// more); every other top-level field we set (spec, rules, subjects, data, ...) must match exactly, so a rule someone
/// added is drift too. Missing and empty compare equal, and quantities compare by value ("1Gi" = "1024Mi").
/// </summary>
public static class ObjectDiff
{
    private static readonly HashSet<string> Ignored = ["apiVersion", "kind", "metadata", "status"];

    public static IReadOnlyList<string> Compare(object desired, object live)
    {
        var d = ToNode(desired);
        var l = ToNode(live);
        var diffs = new List<string>();
        foreach (var field in new[] { "labels", "annotations" })
        {
            var want = d["metadata"]?[field] as JsonObject;
            var have = l["metadata"]?[field] as JsonObject;
            foreach (var (key, value) in want ?? [])
                if (have?[key]?.ToJsonString() != value?.ToJsonString()) diffs.Add($"metadata.{field}.{key}");
        }
        foreach (var (key, value) in d)
            if (!Ignored.Contains(key)) Exact(key, value, l[key], diffs);
        return diffs;
    }

    public static JsonObject ToNode(object o) => JsonNode.Parse(KubernetesJson.Serialize(o))!.AsObject();

    private static void Exact(string path, JsonNode? want, JsonNode? have, List<string> diffs)
    {
        if (IsEmpty(want) && IsEmpty(have)) return;
        switch (want)
        {
            case JsonObject wo when have is JsonObject ho:
                foreach (var key in wo.Select(p => p.Key).Union(ho.Select(p => p.Key)))
                    Exact($"{path}.{key}", wo[key], ho[key], diffs);
                return;
            case JsonArray wa when have is JsonArray ha && wa.Count == ha.Count:
                for (var i = 0; i < wa.Count; i++) Exact($"{path}[{i}]", wa[i], ha[i], diffs);
                return;
            case JsonValue wv when have is JsonValue hv:
                if (!SameValue(wv, hv)) diffs.Add(path);
                return;
            default:
                diffs.Add(path);
                return;
        }
    }

    private static bool SameValue(JsonValue a, JsonValue b)
    {
        if (a.ToJsonString() == b.ToJsonString()) return true;
        var sa = a.ToString();
        var sb = b.ToString();
        return Desired.TenantPlanner.TryCanonical(sa, out var ca) && Desired.TenantPlanner.TryCanonical(sb, out var cb) &&
               new ResourceQuantity(ca) == new ResourceQuantity(cb);
    }

    private static bool IsEmpty(JsonNode? n) => n switch
    {
        null => true,
        JsonObject o => o.Count == 0,
        JsonArray a => a.Count == 0,
        _ => false,
    };
}
