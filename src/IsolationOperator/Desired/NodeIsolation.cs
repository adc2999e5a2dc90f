using System.Text.RegularExpressions;
using IsolationOperator.Api.V1Alpha1;
using k8s;
using k8s.Models;

namespace IsolationOperator.Desired;

/// <summary>
/// spec.isolation: the demo's own nodes and runtime. Checked by the planner, written onto the namespace as the
/// annotations of the kube-apiserver's PodNodeSelector and PodTolerationRestriction plugins, and enforced by the
/// pod webhooks (Admission/TenantPodMutator, Admission/PodPlacementRules).
/// </summary>
public static partial class NodeIsolation
{
    /// <summary>PodNodeSelector: comma-separated key=value pairs every pod of the namespace gets (and may not contradict).</summary>
    public const string NodeSelectorAnnotation = "scheduler.alpha.kubernetes.io/node-selector";
    /// <summary>PodTolerationRestriction: a JSON array of tolerations merged into every pod of the namespace.</summary>
    public const string DefaultTolerationsAnnotation = "scheduler.alpha.kubernetes.io/defaultTolerations";
    /// <summary>PodTolerationRestriction: a JSON array; pods may carry no toleration outside it.</summary>
    public const string TolerationsWhitelistAnnotation = "scheduler.alpha.kubernetes.io/tolerationsWhitelist";

    /// <summary>
    /// What the DefaultTolerationSeconds plugin adds to every pod (not-ready and unreachable, NoExecute, 300 s):
    /// always allowed, and part of the whitelist annotation, or PodTolerationRestriction would refuse every pod.
    /// </summary>
    public static readonly IReadOnlyList<V1Toleration> AlwaysAllowed =
    [
        new() { Key = "node.kubernetes.io/not-ready", OperatorProperty = "Exists", Effect = "NoExecute" },
        new() { Key = "node.kubernetes.io/unreachable", OperatorProperty = "Exists", Effect = "NoExecute" },
    ];

    [GeneratedRegex(@"^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?\z")]
    private static partial Regex LabelName();

    [GeneratedRegex(@"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\z")]
    private static partial Regex DnsSubdomain();

    public static bool IsLabelKey(string key)
    {
        var slash = key.IndexOf('/', StringComparison.Ordinal);
        var name = slash < 0 ? key : key[(slash + 1)..];
        if (slash >= 0)
        {
            var prefix = key[..slash];
            if (prefix.Length == 0 || prefix.Length > 253 || !DnsSubdomain().IsMatch(prefix)) return false;
        }
        return name.Length is > 0 and <= 63 && LabelName().IsMatch(name);
    }

    public static bool IsLabelValue(string value) => value.Length == 0 || (value.Length <= 63 && LabelName().IsMatch(value));

    /// <summary>The spec's problems, phrased for the person who wrote it.</summary>
    public static IEnumerable<string> Problems(IsolationSpec? isolation)
    {
        foreach (var (key, value) in isolation?.Nodes?.Selector ?? new Dictionary<string, string>())
        {
            if (!IsLabelKey(key))
                yield return $"spec.isolation.nodes.selector: \"{key}\" is not a node label key such as example.com/pool";
            else if (!IsLabelValue(value ?? ""))
                yield return $"spec.isolation.nodes.selector.{key}: \"{value}\" is not a label value (at most 63 letters, digits, '-', '_' or '.')";
        }
        var i = 0;
        foreach (var t in isolation?.Nodes?.Tolerations ?? [])
        {
            var at = $"spec.isolation.nodes.tolerations[{i++}]";
            var op = string.IsNullOrEmpty(t.OperatorProperty) ? "Equal" : t.OperatorProperty;
            if (!string.IsNullOrEmpty(t.Key) && !IsLabelKey(t.Key))
                yield return $"{at}: key \"{t.Key}\" is not a taint key such as example.com/dedicated";
            if (string.IsNullOrEmpty(t.Key) && op != "Exists")
                yield return $"{at}: a toleration without a key must use operator: Exists (it then tolerates every taint; name the key of your nodes' taint instead)";
            if (op == "Exists" && !string.IsNullOrEmpty(t.Value))
                yield return $"{at}: operator Exists takes no value; remove value \"{t.Value}\" or use operator: Equal";
            if (t.TolerationSeconds is not null && t.Effect != "NoExecute")
                yield return $"{at}: tolerationSeconds applies only to effect NoExecute";
        }
    }

    /// <summary>Namespace annotations for the apiserver plugins; none when spec.isolation.nodes is not set.</summary>
    public static IEnumerable<KeyValuePair<string, string>> Annotations(IReadOnlyDictionary<string, string> selector, IReadOnlyList<V1Toleration> tolerations)
    {
        if (selector.Count > 0)
            yield return new(NodeSelectorAnnotation, string.Join(",", selector.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => $"{kv.Key}={kv.Value}")));
        // An empty whitelist means "no limit" to PodTolerationRestriction: write both only when there is something to allow.
        if (tolerations.Count > 0)
        {
            yield return new(DefaultTolerationsAnnotation, Json(tolerations));
            yield return new(TolerationsWhitelistAnnotation, Json(tolerations.Concat(AlwaysAllowed)));
        }
    }

    private static string Json(IEnumerable<V1Toleration> tolerations) => KubernetesJson.Serialize(tolerations.ToList());
}
