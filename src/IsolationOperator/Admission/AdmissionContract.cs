using System.Text.Json;
using System.Text.Json.Nodes;

namespace IsolationOperator.Admission;

/// <summary>
/// One admission request as the webhooks see it: the parts of an AdmissionReview v1 request a policy reads. Policies
/// are pure functions of this (plus the tenant and the configured limits), so unit tests need no API server.
/// </summary>
public sealed record AdmissionCall(
    string Uid,
    string Operation,            // CREATE | UPDATE | DELETE | CONNECT
    string Group,                // the resource's API group ("" for core)
    string Kind,                 // e.g. "Pod", "Service", "DemoTenant"
    string? Namespace,
    string? Name,
    string? SubResource,
    JsonElement? Object,         // absent on DELETE
    JsonElement? OldObject,      // present on UPDATE and DELETE
    string UserName,
    IReadOnlyList<string> UserGroups,
    bool DryRun);

/// <summary>One RFC 6902 operation of a mutating webhook's answer.</summary>
public sealed record JsonPatchOperation(string Op, string Path, JsonNode? Value = null);

/// <summary>
/// A policy's answer. A refusal's message names the rule and the value to use instead: it is what `kubectl apply`
/// prints to the person who asked.
/// </summary>
public sealed record AdmissionVerdict(bool Allowed, string? Message = null, int Code = 403,
    IReadOnlyList<JsonPatchOperation>? Patch = null, IReadOnlyList<string>? Warnings = null)
{
    public static readonly AdmissionVerdict Allow = new(true);
    public static AdmissionVerdict Deny(string message, int code = 403) => new(false, message, code);
    public static AdmissionVerdict Mutate(IReadOnlyList<JsonPatchOperation> patch) => new(true, Patch: patch);
}

/// <summary>Which requests the API server sends to a webhook.</summary>
public enum WebhookScope
{
    /// <summary>DemoTenants (cluster-scoped), narrowed by the operator's tenant label selector when it has one.</summary>
    DemoTenants,
    /// <summary>Namespaced objects in namespaces the operator manages only (namespaceSelector), never cluster-wide.</summary>
    ManagedNamespaces,
    /// <summary>The operator's own writes, wherever they go (namespaces and namespaced objects); fail-open, no selectors.</summary>
    OperatorRequests,
}

/// <summary>One resource a webhook is called for: API group ("" for core), version, plural resource.</summary>
public sealed record WebhookResource(string Group, string Version, string Resource);

/// <summary>
/// A webhook endpoint's logic: one per path the API server calls. The paths are fixed (the chart names them too):
/// /validate-demotenant, /mutate-demotenant, /validate-demotenant-policy, /validate-tenant-workloads, /mutate-tenant-pods.
/// </summary>
public interface IAdmissionReviewer
{
    /// <summary>The URL path this reviewer is served on, e.g. "/validate-demotenant".</summary>
    string Path { get; }

    /// <summary>True for a mutating webhook (its verdicts may carry a patch), false for a validating one.</summary>
    bool Mutating { get; }

    WebhookScope Scope { get; }

    IReadOnlyList<WebhookResource> Resources { get; }

    /// <summary>CREATE, UPDATE, DELETE as the webhook registration lists them.</summary>
    IReadOnlyList<string> Operations { get; }

    Task<AdmissionVerdict> ReviewAsync(AdmissionCall call, CancellationToken cancellationToken);
}
