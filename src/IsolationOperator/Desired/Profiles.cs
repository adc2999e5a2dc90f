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

    /// <summary>Object-count quotas ("count/&lt;resource&gt;.&lt;group&gt;"): set by the profile only, a larger demo takes a larger profile.</summary>
    public const string CountPrefix = "count/";

    /// <summary>Keys a spec may override: those every profile sets, except the locked ones and the object counts.</summary>
    public static IReadOnlySet<string> OverridableKeys { get; } =
        All[Default].Quota.Keys.Where(k => !Locked.Contains(k) && !k.StartsWith(CountPrefix, StringComparison.Ordinal)).ToHashSet();

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
            // An emptyDir or a container's writable layer can fill a node's disk and get other tenants' pods evicted.
            ["requests.ephemeral-storage"] = $"{5 * f}Gi",
            ["limits.ephemeral-storage"] = $"{10 * f}Gi",
            // Object counts: a runaway controller or script cannot flood etcd from a demo. ReplicaSets leave room for
            // each Deployment's revision history (10 by default). Ingresses are counted under both groups the API
            // serves them from (networking.k8s.io, and extensions until 1.22): quota admission charges the group the request used.
            ["count/deployments.apps"] = $"{10 * f}",
            ["count/replicasets.apps"] = $"{50 * f}",
            ["count/statefulsets.apps"] = $"{5 * f}",
            ["count/jobs.batch"] = $"{20 * f}",
            ["count/cronjobs.batch"] = $"{5 * f}",
            ["count/ingresses.networking.k8s.io"] = $"{5 * f}",
            ["count/ingresses.extensions"] = $"{5 * f}",
            ["count/poddisruptionbudgets.policy"] = $"{5 * f}",
            ["count/horizontalpodautoscalers.autoscaling"] = $"{10 * f}",
            ["services.loadbalancers"] = "0",
            ["services.nodeports"] = "0",
        },
        new Dictionary<string, string> { ["cpu"] = "500m", ["memory"] = "512Mi", ["ephemeral-storage"] = "1Gi" },
        new Dictionary<string, string> { ["cpu"] = "100m", ["memory"] = "128Mi", ["ephemeral-storage"] = "256Mi" },
        new Dictionary<string, string> { ["cpu"] = $"{2 * f}", ["memory"] = $"{4 * f}Gi", ["ephemeral-storage"] = $"{4 * f}Gi" });
}
