using k8s.Models;

namespace IsolationOperator.Verification;

/// <summary>What NetworkPolicies allow, in words: who may reach the demo's pods and what they may reach.</summary>
public static class Reachability
{
    public static string Summary(IEnumerable<V1NetworkPolicy> policiesInNamespace)
    {
        var list = policiesInNamespace.ToList();
        var ingress = list.SelectMany(p => (p.Spec?.Ingress ?? []).SelectMany(r => Peers(r.FromProperty))).Distinct().Order(StringComparer.Ordinal).ToList();
        var egress = list.SelectMany(p => (p.Spec?.Egress ?? []).SelectMany(r => Peers(r.To))).Distinct().Order(StringComparer.Ordinal).ToList();
        return $"ingress from: {(ingress.Count == 0 ? "nothing" : string.Join("; ", ingress))}. egress to: {(egress.Count == 0 ? "nothing" : string.Join("; ", egress))}.";
    }

    public static string Describe(V1NetworkPolicy p)
    {
        var ingress = (p.Spec?.Ingress ?? []).SelectMany(r => Peers(r.FromProperty)).Distinct().ToList();
        var egress = (p.Spec?.Egress ?? []).SelectMany(r => Peers(r.To)).Distinct().ToList();
        var parts = new List<string>();
        if (ingress.Count > 0) parts.Add($"ingress from {string.Join("; ", ingress)}");
        if (egress.Count > 0) parts.Add($"egress to {string.Join("; ", egress)}");
        return parts.Count == 0 ? "allows nothing" : "allows " + string.Join(", ", parts);
    }

    /// <summary>A rule with no peers allows everyone.</summary>
    private static IEnumerable<string> Peers(IList<V1NetworkPolicyPeer>? peers)
    {
        if (peers is null || peers.Count == 0) { yield return "anywhere"; yield break; }
        foreach (var p in peers)
        {
            if (p.IpBlock is { } ip) yield return ip.Cidr + (ip.Except is { Count: > 0 } ex ? $" except {string.Join(",", ex)}" : "");
            else if (p.NamespaceSelector is { } ns) yield return $"namespaces {Text(ns)}" + (p.PodSelector is { } ps ? $" pods {Text(ps)}" : "");
            else if (p.PodSelector is { } pods) yield return $"this namespace's pods {Text(pods)}";
        }
    }

    private static string Text(V1LabelSelector s)
    {
        var terms = (s.MatchLabels ?? new Dictionary<string, string>()).Select(kv => $"{kv.Key}={kv.Value}")
            .Concat((s.MatchExpressions ?? []).Select(e => $"{e.Key} {e.OperatorProperty} ({string.Join(",", e.Values ?? [])})")).ToList();
        return terms.Count == 0 ? "(all)" : string.Join(",", terms);
    }
}
