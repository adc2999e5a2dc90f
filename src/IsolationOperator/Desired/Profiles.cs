namespace IsolationOperator.Desired;

/// <summary>Quota and limit presets a sales engineer picks by name.</summary>
public sealed record Profile(
    string Name,
    IReadOnlyDictionary<string, string> Quota,
    IReadOnlyDictionary<string, string> ContainerDefault,
    IReadOnlyDictionary<string, string> ContainerDefaultRequest,
    IReadOnlyDictionary<string, string> ContainerMax);

public static class Profiles
{
    public const string Default = "small";

    /// <summary>Quota keys that must stay zero: a LoadBalancer or NodePort would expose the demo outside the namespace's policies.</summary>
    public static readonly IReadOnlySet<string> Locked = new HashSet<string> { "services.loadbalancers", "services.nodeports" };

    public static readonly IReadOnlyDictionary<string, Profile> All = new Dictionary<string, Profile>
    {
        ["small"] = Make("small", 1),
        ["medium"] = Make("medium", 2),
        ["large"] = Make("large", 4),
    };

    /// <summary>Keys a spec may override: those every profile sets, except the locked ones.</summary>
    public static IReadOnlySet<string> OverridableKeys { get; } =
        All[Default].Quota.Keys.Where(k => !Locked.Contains(k)).ToHashSet();

    private static Profile Make(string name, int f) => new(
        name,
        new Dictionary<string, string>
        {
            ["requests.cpu"] = $"{2 * f}",
            ["requests.memory"] = $"{4 * f}Gi",
            ["limits.cpu"] = $"{4 * f}",
            ["limits.memory"] = $"{8 * f}Gi",
            ["pods"] = $"{20 * f}",
            ["services"] = $"{10 * f}",
            ["persistentvolumeclaims"] = $"{5 * f}",
            ["requests.storage"] = $"{20 * f}Gi",
            ["secrets"] = $"{20 * f}",
            ["configmaps"] = $"{20 * f}",
            ["services.loadbalancers"] = "0",
            ["services.nodeports"] = "0",
        },
        new Dictionary<string, string> { ["cpu"] = "500m", ["memory"] = "512Mi" },
        new Dictionary<string, string> { ["cpu"] = "100m", ["memory"] = "128Mi" },
        new Dictionary<string, string> { ["cpu"] = $"{2 * f}", ["memory"] = $"{4 * f}Gi" });
}
