using k8s.Models;

namespace IsolationOperator.Desired;

/// <summary>
/// The most a demo's spec.quota may ask for, per key: a platform setting (Operator__QuotaCaps__&lt;key&gt;, chart
/// values operator.quotaCaps), so "requests.cpu: 100000" is refused instead of written. Compared as Kubernetes
/// quantities: 1000m equals 1, 1Gi equals 1024Mi.
/// </summary>
public static class QuotaCaps
{
    /// <summary>Every overridable key has a cap, at or above what the large profile gives.</summary>
    public static readonly IReadOnlyDictionary<string, string> Defaults = new Dictionary<string, string>
    {
        ["requests.cpu"] = "16",
        ["limits.cpu"] = "32",
        ["requests.memory"] = "32Gi",
        ["limits.memory"] = "64Gi",
        ["requests.ephemeral-storage"] = "50Gi",
        ["limits.ephemeral-storage"] = "100Gi",
        ["pods"] = "200",
        ["services"] = "100",
        ["persistentvolumeclaims"] = "50",
        ["requests.storage"] = "500Gi",
        ["secrets"] = "200",
        ["configmaps"] = "200",
    };

    /// <summary>The refusal for an override above its cap, or null; a key without a cap is not capped.</summary>
    public static string? Problem(string key, string text, string canonical, IReadOnlyDictionary<string, string> caps)
    {
        if (!caps.TryGetValue(key, out var cap)) return null;
        if (new ResourceQuantity(canonical).ToDecimal() <= new ResourceQuantity(cap).ToDecimal()) return null;
        return $"spec.quota.{key} \"{text}\" is above the most a demo may have ({cap}); ask for {cap} or less, " +
               $"or ask a platform admin to raise quotaCaps.{key} (Operator__QuotaCaps__{key})";
    }

    /// <summary>Defaults overlaid with the configured caps; a cap that is not a quantity throws (at startup, not per tenant).</summary>
    public static IReadOnlyDictionary<string, string> Merge(IReadOnlyDictionary<string, string>? configured)
    {
        var caps = new SortedDictionary<string, string>(Defaults.ToDictionary(), StringComparer.Ordinal);
        foreach (var (key, value) in configured ?? new Dictionary<string, string>())
        {
            var k = key.Trim();
            if (!Profiles.OverridableKeys.Contains(k))
                throw new InvalidOperationException($"Operator__QuotaCaps__{key}: \"{key}\" is not a quota a demo may override; use one of: {string.Join(", ", Profiles.OverridableKeys.Order())}");
            if (!TenantPlanner.TryCanonical(value, out var canonical) || new ResourceQuantity(canonical).ToDecimal() < 0)
                throw new InvalidOperationException($"Operator__QuotaCaps__{key} \"{value}\" is not a quantity such as \"16\", \"500m\" or \"64Gi\"");
            caps[k] = canonical;
        }
        return caps;
    }
}
