using System.Text.Json;

namespace IsolationOperator.Admission;

/// <summary>One container of a pod, with how a person would name it ("init container \"setup\"").</summary>
public sealed record PodContainer(string Label, string Name, JsonElement Element)
{
    public override string ToString() => $"{Label} \"{Name}\"";
}

/// <summary>
/// A pod's parts the rules read. A Pod has a spec; the pods/ephemeralcontainers subresource of Kubernetes 1.20-1.21
/// sends an EphemeralContainers object instead (its containers only, no pod spec), read with an empty pod level so
/// each of those containers must carry its own settings.
/// </summary>
public sealed record PodShape(JsonElement? Spec, IReadOnlyDictionary<string, string> Annotations, IReadOnlyList<PodContainer> Containers)
{
    public static PodShape Of(JsonElement obj, string kind)
    {
        if (kind == "EphemeralContainers")
            return new PodShape(null, new Dictionary<string, string>(),
                obj.Items("ephemeralContainers").Select(c => new PodContainer("ephemeral container", c.Str("name") ?? "", c)).ToList());
        var spec = obj.Get("spec");
        var containers = new List<PodContainer>();
        foreach (var (field, label) in new[] { ("initContainers", "init container"), ("containers", "container"), ("ephemeralContainers", "ephemeral container") })
            containers.AddRange(spec.Items(field).Select(c => new PodContainer(label, c.Str("name") ?? "", c)));
        return new PodShape(spec, obj.Map("metadata", "annotations"), containers);
    }
}
