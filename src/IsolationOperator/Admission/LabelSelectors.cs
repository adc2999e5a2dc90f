using k8s.Models;

namespace IsolationOperator.Admission;

/// <summary>
/// A label selector string (the TenantSelector option, as kubectl -l takes it) as the structured selector webhook
/// configurations need: "a=b", "a==b", "a!=b", "a", "!a", "a in (x,y)", "a notin (x,y)", joined by commas.
/// </summary>
public static class LabelSelectors
{
    public static V1LabelSelector? Parse(string? selector)
    {
        if (string.IsNullOrWhiteSpace(selector)) return null;
        var matchLabels = new Dictionary<string, string>(StringComparer.Ordinal);
        var expressions = new List<V1LabelSelectorRequirement>();
        foreach (var term in SplitTerms(selector))
        {
            var t = term.Trim();
            if (t.Length == 0) continue;
            if (SetTerm(t, " notin ", "NotIn") is { } notIn) expressions.Add(notIn);
            else if (SetTerm(t, " in ", "In") is { } inSet) expressions.Add(inSet);
            else if (t.Contains("!=", StringComparison.Ordinal))
            {
                var (k, v) = Split(t, "!=");
                expressions.Add(Req(k, "NotIn", [v]));
            }
            else if (t.Contains('='))
            {
                var (k, v) = t.Contains("==", StringComparison.Ordinal) ? Split(t, "==") : Split(t, "=");
                matchLabels[k] = v;
            }
            else if (t.StartsWith('!')) expressions.Add(Req(t[1..].Trim(), "DoesNotExist"));
            else expressions.Add(Req(t, "Exists"));
        }
        return new V1LabelSelector
        {
            MatchLabels = matchLabels.Count > 0 ? matchLabels : null,
            MatchExpressions = expressions.Count > 0 ? expressions : null,
        };
    }

    private static V1LabelSelectorRequirement? SetTerm(string t, string op, string kind)
    {
        var i = t.IndexOf(op, StringComparison.Ordinal);
        if (i < 0) return null;
        var values = t[(i + op.Length)..].Trim();
        if (!values.StartsWith('(') || !values.EndsWith(')')) throw new FormatException($"label selector term \"{t}\": values must be in parentheses");
        return Req(t[..i].Trim(), kind,
            values[1..^1].Split(',').Select(v => v.Trim()).Where(v => v.Length > 0).ToList());
    }

    private static V1LabelSelectorRequirement Req(string key, string op, IList<string>? values = null) =>
        new() { Key = key, OperatorProperty = op, Values = values };

    private static (string, string) Split(string t, string op)
    {
        var i = t.IndexOf(op, StringComparison.Ordinal);
        return (t[..i].Trim(), t[(i + op.Length)..].Trim());
    }

    /// <summary>Commas inside "( )" belong to a set, not to the list of terms.</summary>
    private static IEnumerable<string> SplitTerms(string s)
    {
        var depth = 0;
        var start = 0;
        for (var i = 0; i < s.Length; i++)
        {
            if (s[i] == '(') depth++;
            else if (s[i] == ')') depth--;
            else if (s[i] == ',' && depth == 0) { yield return s[start..i]; start = i + 1; }
        }
        yield return s[start..];
    }
}
