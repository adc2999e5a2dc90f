using System.Text.Json;
using System.Text.Json.Nodes;
using IsolationOperator.Api.V1Alpha1;
using k8s;

namespace IsolationOperator.Admission;

/// <summary>DemoTenants out of an admission request, and whether an update touched the spec.</summary>
public static class TenantDecoding
{
    /// <summary>The DemoTenant, or a refusal message when it cannot be read (the API server already checked the schema).</summary>
    public static DemoTenant? Decode(JsonElement? element, out string? problem)
    {
        problem = null;
        if (element is not { } e) return null;
        try { return KubernetesJson.Deserialize<DemoTenant>(e.GetRawText()); }
        catch (Exception ex) when (ex is JsonException or FormatException or InvalidOperationException)
        {
            problem = $"the DemoTenant cannot be read: {ex.Message}";
            return null;
        }
    }

    /// <summary>True when spec differs between the two objects (any field: metadata and status changes are not spec changes).</summary>
    public static bool SpecChanged(JsonElement? oldObject, JsonElement? newObject)
    {
        var a = Spec(oldObject);
        var b = Spec(newObject);
        return !JsonNode.DeepEquals(a, b);
    }

    private static JsonNode? Spec(JsonElement? o) =>
        o is { } e && e.TryGetProperty("spec", out var spec) ? JsonNode.Parse(spec.GetRawText()) : null;
}
