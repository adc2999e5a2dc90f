using System.Text.Json;

namespace IsolationOperator.Admission;

/// <summary>
/// Services in a tenant namespace: no spec.externalIPs (CVE-2020-8554: any externalIP lets a Service intercept
/// traffic the whole cluster sends to that address), no NodePort or LoadBalancer (they open the demo on every node or
/// to the internet, past its network policies), ExternalName only with spec.network.allowExternalName.
/// </summary>
public static class ServiceRules
{
    public static IEnumerable<string> Findings(JsonElement service, WorkloadContext context)
    {
        if (service.Items("spec", "externalIPs").Any())
            yield return "spec.externalIPs is not allowed: it lets a Service capture traffic for those addresses from the whole cluster (CVE-2020-8554); " +
                         "remove it and use a ClusterIP Service";
        var type = service.Str("spec", "type") ?? "ClusterIP";
        switch (type)
        {
            case "NodePort" or "LoadBalancer":
                yield return $"type {type} is not allowed: it opens the demo outside its network policies; use type ClusterIP" +
                             (context.AllowsIngress ? " with an Ingress" : "");
                break;
            case "ExternalName" when !context.AllowsExternalName:
                yield return $"type ExternalName is off for this demo (spec.network.allowExternalName); use a ClusterIP Service, " +
                             $"or {context.AskTheOwner} to set spec.network.allowExternalName: true";
                break;
        }
    }
}
