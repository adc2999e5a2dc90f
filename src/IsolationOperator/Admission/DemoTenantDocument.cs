using System.Text.Json;
using IsolationOperator.Api.V1Alpha1;
using k8s;

namespace IsolationOperator.Admission;

/// <summary>The DemoTenant in an admission request, read with the operator's own model.</summary>
internal static class DemoTenantDocument
{
    /// <summary>The tenant, or null when absent or unreadable (the API server already checked the schema).</summary>
    public static DemoTenant? Read(JsonElement? element)
    {
        if (element is not { ValueKind: JsonValueKind.Object } e) return null;
        try
        {
            return KubernetesJson.Deserialize<DemoTenant>(e.GetRawText());
        }
        catch (Exception ex) when (ex is JsonException or FormatException or InvalidOperationException or NotSupportedException)
        {
            return null;
        }
    }
}
