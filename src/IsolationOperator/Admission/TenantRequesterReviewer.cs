using System.Text.Json;
using System.Text.Json.Nodes;
using IsolationOperator.Api.V1Alpha1;

namespace IsolationOperator.Admission;

/// <summary>
/// /mutate-demotenant: records who asked. The rule is simple and has no exception: these two annotations always say
/// what this webhook saw, and whatever a request says about them is replaced on the way in.
/// - create: requested-by and last-changed-by are the requesting user;
/// - update that changes the spec: last-changed-by is the requesting user, requested-by stays as stored;
/// - any other update (labels, finalizers, the annotations themselves): both stay as stored (absent stays absent).
/// So an attempt to set or alter them succeeds as a request but changes nothing about them.
/// </summary>
public sealed class TenantRequesterReviewer(AdmissionContext context) : IAdmissionReviewer
{
    private static readonly string[] Keys = [RequesterAnnotations.RequestedBy, RequesterAnnotations.LastChangedBy];

    public string Path => "/mutate-demotenant";
    public bool Mutating => true;
    public WebhookScope Scope => WebhookScope.DemoTenants;
    public IReadOnlyList<WebhookResource> Resources { get; } = [new(DemoTenant.Group, DemoTenant.Version, DemoTenant.Plural)];
    public IReadOnlyList<string> Operations { get; } = ["CREATE", "UPDATE"];

    public Task<AdmissionVerdict> ReviewAsync(AdmissionCall call, CancellationToken cancellationToken)
    {
        _ = context;
        if (call.Operation is not ("CREATE" or "UPDATE") || call.Object is not { } obj) return Task.FromResult(AdmissionVerdict.Allow);
        var caller = RequesterAnnotations.Format(call.UserName, call.UserGroups);
        var stored = Annotations(call.OldObject);
        var wanted = new Dictionary<string, string?>
        {
            [RequesterAnnotations.RequestedBy] = call.Operation == "CREATE" ? caller : stored.GetValueOrDefault(RequesterAnnotations.RequestedBy),
            [RequesterAnnotations.LastChangedBy] = call.Operation == "CREATE" || TenantDecoding.SpecChanged(call.OldObject, call.Object)
                ? caller : stored.GetValueOrDefault(RequesterAnnotations.LastChangedBy),
        };
        var patch = Patch(obj, wanted);
        return Task.FromResult(patch.Count == 0 ? AdmissionVerdict.Allow : AdmissionVerdict.Mutate(patch));
    }

    /// <summary>The JSON patch that makes the object's annotations say <paramref name="wanted"/> (null: absent).</summary>
    public static IReadOnlyList<JsonPatchOperation> Patch(JsonElement obj, IReadOnlyDictionary<string, string?> wanted)
    {
        var current = Annotations(obj);
        var hasAnnotations = obj.TryGetProperty("metadata", out var meta) && meta.TryGetProperty("annotations", out var a) && a.ValueKind == JsonValueKind.Object;
        var ops = new List<JsonPatchOperation>();
        if (!hasAnnotations)
        {
            var add = new JsonObject();
            foreach (var (k, v) in wanted) if (v is not null) add[k] = v;
            if (add.Count > 0) ops.Add(new JsonPatchOperation("add", "/metadata/annotations", add));
            return ops;
        }
        foreach (var (k, v) in wanted)
        {
            var path = "/metadata/annotations/" + AdmissionReviewCodec.PointerSegment(k);
            var has = current.TryGetValue(k, out var now);
            if (v is null) { if (has) ops.Add(new JsonPatchOperation("remove", path)); }
            else if (!has || now != v) ops.Add(new JsonPatchOperation("add", path, JsonValue.Create(v)));
        }
        return ops;
    }

    private static Dictionary<string, string?> Annotations(JsonElement? obj)
    {
        var result = new Dictionary<string, string?>(StringComparer.Ordinal);
        if (obj is { } o && o.TryGetProperty("metadata", out var meta) && meta.TryGetProperty("annotations", out var a) && a.ValueKind == JsonValueKind.Object)
            foreach (var p in a.EnumerateObject())
                if (Keys.Contains(p.Name)) result[p.Name] = p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString() : p.Value.GetRawText();
        return result;
    }
}
