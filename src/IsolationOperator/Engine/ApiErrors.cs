using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace IsolationOperator.Engine;

/// <summary>
/// Reads the API server's answer, not just the HTTP status: a 404 from a proxy, a load balancer or a half-started
/// server carries no Status object, and treating it as "absent" would make the operator regenerate a live secret.
/// </summary>
public static class ApiErrors
{
    /// <summary>True only when the API server says the object of this resource (plural, e.g. "secrets") is not there.</summary>
    public static bool IsNotFound(Exception e, string resource) =>
        e is HttpOperationException h && h.Response?.StatusCode == HttpStatusCode.NotFound &&
        StatusOf(h) is { Reason: "NotFound" } s && (s.Details?.Kind is null || s.Details.Kind == resource);

    public static bool IsAlreadyExists(Exception e) =>
        e is HttpOperationException h && h.Response?.StatusCode == HttpStatusCode.Conflict && StatusOf(h)?.Reason == "AlreadyExists";

    /// <summary>A precondition (resourceVersion) failed: someone wrote in between; look again.</summary>
    public static bool IsConflict(Exception e) =>
        e is HttpOperationException h && h.Response?.StatusCode == HttpStatusCode.Conflict && StatusOf(h)?.Reason != "AlreadyExists";

    public static bool IsRefused(Exception e) =>
        e is HttpOperationException h && h.Response?.StatusCode is HttpStatusCode.UnprocessableEntity or HttpStatusCode.Forbidden;

    public static string Message(Exception e) => StatusMessage(e) ?? e.Message;

    /// <summary>The message of the Status object the API server sent, when it sent one.</summary>
    public static string? StatusMessage(Exception e) =>
        e is HttpOperationException h && StatusOf(h)?.Message is { Length: > 0 } m ? m : null;

    private static V1Status? StatusOf(HttpOperationException h)
    {
        if (string.IsNullOrWhiteSpace(h.Response?.Content)) return null;
        try
        {
            var s = KubernetesJson.Deserialize<V1Status>(h.Response.Content);
            return s?.Kind == "Status" ? s : null;
        }
        catch (Exception) { return null; }
    }
}
