using System.Text.Json;
using System.Text.Json.Nodes;
using IsolationOperator.Api.V1Alpha1;
using k8s;

namespace IsolationOperator.Admission;

/// <summary>
/// /mutate-tenant-pods: every new pod of a tenant with spec.isolation gets the tenant's node selector entries,
/// tolerations and runtimeClassName (RFC 6902 patch; label keys escaped per RFC 6901). A selector value or runtime
/// class the pod set otherwise is replaced, with a warning. <see cref="PodPlacementRules"/> refuses pods that still
/// lack them or try to leave them. Register with reinvocationPolicy IfNeeded: the in-tree RuntimeClass plugin then
/// runs again after this sets runtimeClassName (pod overhead and scheduling of the RuntimeClass).
/// </summary>
/// <param name="tenantOfNamespace">The DemoTenant owning a namespace, from the operator's cache; null when unknown.</param>
public sealed class TenantPodMutator(Func<string, DemoTenant?> tenantOfNamespace, AdmissionOptions options) : IAdmissionReviewer
{
    public const string WebhookPath = "/mutate-tenant-pods";

    public AdmissionOptions Options { get; } = options;
    public string Path => WebhookPath;
    public bool Mutating => true;
    public WebhookScope Scope => WebhookScope.ManagedNamespaces;
    public IReadOnlyList<WebhookResource> Resources { get; } = [new("", "v1", "pods")];
    public IReadOnlyList<string> Operations { get; } = ["CREATE"];

    public Task<AdmissionVerdict> ReviewAsync(AdmissionCall call, CancellationToken cancellationToken) =>
        Task.FromResult(Review(call, call.Namespace is { Length: > 0 } ns ? tenantOfNamespace(ns) : null));

    public static AdmissionVerdict Review(AdmissionCall call, DemoTenant? tenant)
    {
        if (call.Operation != "CREATE" || call.Kind != "Pod" || !string.IsNullOrEmpty(call.SubResource) ||
            call.Object is not { } pod || tenant?.Spec.Isolation is not { } isolation)
            return AdmissionVerdict.Allow;

        var patch = new List<JsonPatchOperation>();
        var warnings = new List<string>();
        var spec = pod.Get("spec");

        var selector = isolation.Nodes?.Selector ?? new Dictionary<string, string>();
        if (selector.Count > 0)
        {
            if (spec.Get("nodeSelector") is not { ValueKind: JsonValueKind.Object })
            {
                var all = new JsonObject();
                foreach (var (k, v) in selector.OrderBy(kv => kv.Key, StringComparer.Ordinal)) all[k] = v;
                patch.Add(new("add", "/spec/nodeSelector", all));
            }
            else
            {
                var current = spec.Map("nodeSelector");
                foreach (var (k, v) in selector.OrderBy(kv => kv.Key, StringComparer.Ordinal))
                {
                    if (current.TryGetValue(k, out var actual) && actual == v) continue;
                    if (actual is not null) warnings.Add($"spec.nodeSelector {k}={actual} was replaced by {k}={v}: this demo runs on its own nodes");
                    patch.Add(new("add", JsonPointer.Of("spec", "nodeSelector", k), JsonValue.Create(v)));
                }
            }
        }

        var wanted = isolation.Nodes?.Tolerations ?? [];
        var present = spec.Items("tolerations").Select(Tolerations.Read).ToList();
        var missing = wanted.Where(w => !present.Any(p => Tolerations.Same(p, w))).ToList();
        if (missing.Count > 0)
        {
            if (spec.Get("tolerations") is not { ValueKind: JsonValueKind.Array })
                patch.Add(new("add", "/spec/tolerations", new JsonArray(missing.Select(Node).ToArray())));
            else
                patch.AddRange(missing.Select(t => new JsonPatchOperation("add", "/spec/tolerations/-", Node(t))));
        }

        if (isolation.RuntimeClassName is { Length: > 0 } runtime && spec.Str("runtimeClassName") != runtime)
        {
            if (spec.Str("runtimeClassName") is { } other) warnings.Add($"spec.runtimeClassName {other} was replaced by {runtime}: every pod of this demo runs in that sandbox");
            patch.Add(new("add", "/spec/runtimeClassName", JsonValue.Create(runtime)));
        }

        if (patch.Count == 0) return AdmissionVerdict.Allow;
        return new AdmissionVerdict(true, Patch: patch, Warnings: warnings.Count > 0 ? warnings : null);
    }

    private static JsonNode? Node(k8s.Models.V1Toleration t) => JsonNode.Parse(KubernetesJson.Serialize(t));
}
