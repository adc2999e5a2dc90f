using System.Text.Json;
using System.Text.Json.Nodes;
using IsolationOperator.Admission;
using IsolationOperator.Api.V1Alpha1;
using k8s;

namespace IsolationOperator.Tests.Unit.Admission;

/// <summary>Admission requests as the API server would send them, for the reviewers' pure functions.</summary>
internal static class Calls
{
    public const string Alice = "alice@vendor.example";
    public const string Bob = "bob@vendor.example";
    public const string AdminGroup = "platform-admins";
    public const string OperatorUser = "system:serviceaccount:isolation-system:isolation-operator";
    public const string Namespace = "demo-acme";

    public static AdmissionOptions Options(Action<AdmissionOptions>? change = null)
    {
        var options = new AdmissionOptions { AdminGroup = AdminGroup, OperatorUser = OperatorUser };
        change?.Invoke(options);
        return options;
    }

    public static JsonElement Json(object value) =>
        JsonDocument.Parse(value is JsonNode node ? node.ToJsonString() : KubernetesJson.Serialize(value)).RootElement.Clone();

    public static AdmissionCall Tenant(string operation, DemoTenant? tenant, DemoTenant? old = null, string user = Alice,
        IReadOnlyList<string>? groups = null, string? subResource = null) =>
        new(Guid.NewGuid().ToString(), operation, DemoTenant.Group, DemoTenant.KindName, null,
            tenant?.Metadata.Name ?? old?.Metadata.Name, subResource,
            tenant is null ? null : Json(tenant), old is null ? null : Json(old), user, groups ?? ["system:authenticated"], false);

    public static AdmissionCall Namespaced(string kind, JsonNode obj, string operation = "CREATE", JsonNode? old = null,
        string group = "", string user = "alice", string? subResource = null, IReadOnlyList<string>? groups = null) =>
        new(Guid.NewGuid().ToString(), operation, group, kind, Namespace, obj["metadata"]?["name"]?.GetValue<string>(), subResource,
            Json(obj), old is null ? null : Json(old), user, groups ?? ["system:authenticated"], false);

    /// <summary>A pod that meets the restricted profile and asks for nothing special.</summary>
    public static JsonObject RestrictedPod(string name = "web") => (JsonObject)JsonNode.Parse("""
        {
          "apiVersion": "v1", "kind": "Pod",
          "metadata": {"name": "@name@", "namespace": "@Namespace@"},
          "spec": {
            "securityContext": {"runAsNonRoot": true, "seccompProfile": {"type": "RuntimeDefault"}},
            "containers": [{
              "name": "app", "image": "nginx",
              "ports": [{"containerPort": 8080}],
              "securityContext": {"allowPrivilegeEscalation": false, "capabilities": {"drop": ["ALL"]}}
            }],
            "volumes": [{"name": "cache", "emptyDir": {}}, {"name": "config", "configMap": {"name": "app"}}]
          }
        }
        """.Replace("@name@", name).Replace("@Namespace@", Namespace))!;

    public static JsonObject Service(string type = "ClusterIP") => (JsonObject)JsonNode.Parse("""
        {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "web"},
         "spec": {"type": "@type@", "ports": [{"port": 80, "targetPort": 8080}], "selector": {"app": "web"}}}
        """.Replace("@type@", type))!;

    public static JsonObject Ingress(string host = "app.demo-acme.demos.example.com") => (JsonObject)JsonNode.Parse("""
        {"apiVersion": "networking.k8s.io/v1", "kind": "Ingress", "metadata": {"name": "web"},
         "spec": {"rules": [{"host": "@host@", "http": {"paths": [{"path": "/", "pathType": "Prefix",
           "backend": {"service": {"name": "web", "port": {"number": 80}}}}]}}]}}
        """.Replace("@host@", host))!;

    public static JsonObject Claim() => (JsonObject)JsonNode.Parse("""
        {"apiVersion": "v1", "kind": "PersistentVolumeClaim", "metadata": {"name": "data"},
         "spec": {"accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": "1Gi"}}}}
        """)!;

    public static JsonObject Secret(string? type = null)
    {
        var secret = (JsonObject)JsonNode.Parse("""{"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "creds"}, "data": {"password": "c2VjcmV0"}}""")!;
        if (type is not null) secret["type"] = type;
        return secret;
    }

    /// <summary>The first container's securityContext.</summary>
    public static JsonObject App(this JsonObject pod) => pod["spec"]!["containers"]![0]!["securityContext"]!.AsObject();

    public static JsonObject Spec(this JsonObject obj) => obj["spec"]!.AsObject();

    public static T With<T>(this T node, Action<T> change) where T : JsonNode
    {
        change(node);
        return node;
    }
}
