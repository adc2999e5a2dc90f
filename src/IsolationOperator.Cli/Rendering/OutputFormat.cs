using System.Text.Json.Nodes;
using k8s;

namespace IsolationOperator.Cli.Rendering;

/// <summary>--output json|yaml: the same data a verb shows, for scripts. Without --output, the human text.</summary>
public static class OutputFormat
{
    public static readonly string[] Names = ["json", "yaml"];

    /// <summary>Kubernetes objects and plain records alike: serialised the way the API does (KubernetesJson), then shaped.</summary>
    public static string Render(object data, string format)
    {
        var node = JsonNode.Parse(KubernetesJson.Serialize(data));
        return format == "yaml" ? YamlText.From(node) : node!.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }) + "\n";
    }
}
