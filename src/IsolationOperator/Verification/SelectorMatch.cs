using k8s.Models;

namespace IsolationOperator.Verification;

/// <summary>Whether a label selector (matchLabels and matchExpressions) selects a set of labels; null selects nothing.</summary>
public static class SelectorMatch
{
    public static bool Matches(V1LabelSelector? selector, IDictionary<string, string>? labels)
    {
        if (selector is null) return false;
        labels ??= new Dictionary<string, string>();
        foreach (var (k, v) in selector.MatchLabels ?? new Dictionary<string, string>())
            if (!labels.TryGetValue(k, out var have) || have != v) return false;
        foreach (var e in selector.MatchExpressions ?? [])
        {
            var has = labels.TryGetValue(e.Key, out var value);
            var ok = e.OperatorProperty switch
            {
                "In" => has && (e.Values ?? []).Contains(value!),
                "NotIn" => !has || !(e.Values ?? []).Contains(value!),
                "Exists" => has,
                "DoesNotExist" => !has,
                _ => false,
            };
            if (!ok) return false;
        }
        return true;
    }
}
