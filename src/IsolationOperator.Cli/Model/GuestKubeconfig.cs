using System.Text.Json.Nodes;
using IsolationOperator.Cli.Rendering;

namespace IsolationOperator.Cli.Model;

/// <summary>
/// The kubeconfig handed to a guest: the caller's cluster (server and CA, nothing of the caller's credentials), the
/// demo's namespace preset, and the guest's token as the only user.
/// </summary>
public static class GuestKubeconfig
{
    public sealed record ClusterInfo(string Server, string? CertificateAuthorityData, bool InsecureSkipTlsVerify = false, string? TlsServerName = null);

    /// <summary>YAML, as kubectl writes kubeconfigs; <paramref name="json"/> for --output json (kubectl reads both).</summary>
    public static string Build(ClusterInfo cluster, string tenant, string guest, string ns, string token, bool json = false)
    {
        var name = $"{guest}@{tenant}";
        var clusterNode = new JsonObject { ["server"] = cluster.Server };
        if (!string.IsNullOrEmpty(cluster.CertificateAuthorityData)) clusterNode["certificate-authority-data"] = cluster.CertificateAuthorityData;
        if (cluster.InsecureSkipTlsVerify) clusterNode["insecure-skip-tls-verify"] = true;
        if (!string.IsNullOrEmpty(cluster.TlsServerName)) clusterNode["tls-server-name"] = cluster.TlsServerName;
        var config = new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Config",
            ["clusters"] = new JsonArray(new JsonObject { ["name"] = $"demo-{tenant}", ["cluster"] = clusterNode }),
            ["users"] = new JsonArray(new JsonObject { ["name"] = name, ["user"] = new JsonObject { ["token"] = token } }),
            ["contexts"] = new JsonArray(new JsonObject
            {
                ["name"] = name,
                ["context"] = new JsonObject { ["cluster"] = $"demo-{tenant}", ["user"] = name, ["namespace"] = ns },
            }),
            ["current-context"] = name,
        };
        return json ? config.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }) + "\n" : YamlText.From(config);
    }
}
