using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace IsolationOperator.Admission;

/// <summary>A request body that is not an AdmissionReview v1 request: answered with HTTP 400.</summary>
public sealed class MalformedReviewException(string message) : Exception(message);

/// <summary>
/// AdmissionReview v1 (admission.k8s.io/v1) in and out: the request becomes an <see cref="AdmissionCall"/>, a verdict
/// becomes the response the API server expects (uid echoed, allowed, status, JSONPatch in base64, warnings).
/// </summary>
public static class AdmissionReviewCodec
{
    public const string ApiVersion = "admission.k8s.io/v1";
    public const string Kind = "AdmissionReview";

    public static AdmissionCall Parse(ReadOnlySpan<byte> body)
    {
        JsonDocument doc;
        try { doc = JsonDocument.Parse(body.ToArray()); }
        catch (JsonException e) { throw new MalformedReviewException($"the body is not JSON: {e.Message}"); }
        using (doc)
        {
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object) throw new MalformedReviewException("the body is not a JSON object");
            var apiVersion = Str(root, "apiVersion");
            if (apiVersion != ApiVersion || Str(root, "kind") != Kind)
                throw new MalformedReviewException($"expected {Kind} {ApiVersion}, got {Str(root, "kind") ?? "no kind"} {apiVersion ?? "no apiVersion"}");
            if (!root.TryGetProperty("request", out var req) || req.ValueKind != JsonValueKind.Object)
                throw new MalformedReviewException("the AdmissionReview has no request");
            var uid = Str(req, "uid");
            if (string.IsNullOrEmpty(uid)) throw new MalformedReviewException("the request has no uid");
            var operation = Str(req, "operation") ?? throw new MalformedReviewException("the request has no operation");
            var kind = req.TryGetProperty("kind", out var k) && k.ValueKind == JsonValueKind.Object ? k : default;
            var user = req.TryGetProperty("userInfo", out var u) && u.ValueKind == JsonValueKind.Object ? u : default;
            var groups = user.ValueKind == JsonValueKind.Object && user.TryGetProperty("groups", out var g) && g.ValueKind == JsonValueKind.Array
                ? g.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString()!).ToList()
                : [];
            return new AdmissionCall(
                uid, operation,
                kind.ValueKind == JsonValueKind.Object ? Str(kind, "group") ?? "" : "",
                kind.ValueKind == JsonValueKind.Object ? Str(kind, "kind") ?? "" : "",
                Str(req, "namespace"), Str(req, "name"), Str(req, "subResource"),
                Obj(req, "object"), Obj(req, "oldObject"),
                user.ValueKind == JsonValueKind.Object ? Str(user, "username") ?? "" : "",
                groups,
                req.TryGetProperty("dryRun", out var d) && d.ValueKind == JsonValueKind.True);
        }
    }

    /// <summary>The response body; a patch is sent only with an allowing verdict (the API server ignores it otherwise).</summary>
    public static byte[] Answer(string uid, AdmissionVerdict verdict)
    {
        var response = new JsonObject { ["uid"] = uid, ["allowed"] = verdict.Allowed };
        if (!verdict.Allowed || verdict.Message is not null)
        {
            var status = new JsonObject { ["code"] = verdict.Allowed ? 200 : verdict.Code };
            if (verdict.Message is not null) status["message"] = verdict.Message;
            if (!verdict.Allowed) status["reason"] = verdict.Code == 403 ? "Forbidden" : verdict.Code == 400 ? "BadRequest" : "InternalError";
            response["status"] = status;
        }
        if (verdict.Allowed && verdict.Patch is { Count: > 0 } patch)
        {
            response["patchType"] = "JSONPatch";
            response["patch"] = Convert.ToBase64String(Encoding.UTF8.GetBytes(PatchJson(patch)));
        }
        if (verdict.Warnings is { Count: > 0 } warnings)
            response["warnings"] = new JsonArray(warnings.Select(w => (JsonNode?)JsonValue.Create(w)).ToArray());
        var review = new JsonObject { ["apiVersion"] = ApiVersion, ["kind"] = Kind, ["response"] = response };
        return Encoding.UTF8.GetBytes(review.ToJsonString());
    }

    /// <summary>RFC 6902 document of the operations ("value" only where the operation takes one).</summary>
    public static string PatchJson(IReadOnlyList<JsonPatchOperation> patch)
    {
        var array = new JsonArray();
        foreach (var op in patch)
        {
            var o = new JsonObject { ["op"] = op.Op, ["path"] = op.Path };
            if (op.Op is "add" or "replace" or "test") o["value"] = op.Value?.DeepClone();
            array.Add(o);
        }
        return array.ToJsonString();
    }

    /// <summary>One JSON Pointer segment (RFC 6901): "~" is "~0", "/" is "~1".</summary>
    public static string PointerSegment(string key) => key.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal);

    private static string? Str(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static JsonElement? Obj(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Object ? v.Clone() : null;
}
