using System.Text.Json;

namespace IsolationOperator.Admission;

/// <summary>No Secrets of type kubernetes.io/service-account-token: the token controller fills them with a token that never expires.</summary>
public static class SecretRules
{
    public const string ServiceAccountTokenType = "kubernetes.io/service-account-token";

    // Only the type is read: a Secret's values are never looked at, logged or quoted.
    public static IEnumerable<string> Findings(JsonElement secret, WorkloadContext context)
    {
        // The kube-controller-manager's token controller makes them for every ServiceAccount before Kubernetes 1.24;
        // refusing it would leave pods without their token on those versions.
        if (secret.Str("type") == ServiceAccountTokenType && !AdmissionUsers.IsControllerManager(context.Call))
            yield return $"type {ServiceAccountTokenType} is not allowed: it mints a service account token that never expires; " +
                         "use type Opaque, and let pods get short-lived tokens through a projected serviceAccountToken volume";
    }
}
