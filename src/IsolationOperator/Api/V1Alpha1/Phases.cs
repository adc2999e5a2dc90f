namespace IsolationOperator.Api.V1Alpha1;

public static class Phases
{
    public const string Pending = "Pending";
    public const string Provisioning = "Provisioning";
    public const string Ready = "Ready";
    public const string Failed = "Failed";
    public const string Terminating = "Terminating";
    public const string Expiring = "Expiring";
    public const string Expired = "Expired";
    public const string Suspended = "Suspended";
    /// <summary>Provisioned, but something outside the spec (a foreign RoleBinding) widens access.</summary>
    public const string Degraded = "Degraded";
}

public static class ConditionTypes
{
    public const string Ready = "Ready";
    public const string NamespaceReady = "NamespaceReady";
    public const string NetworkIsolated = "NetworkIsolated";
    public const string AccessScoped = "AccessScoped";
    public const string QuotaEnforced = "QuotaEnforced";
    public const string SecretsProvisioned = "SecretsProvisioned";
    /// <summary>True while the demo is within the warning window before its expiry, or expired.</summary>
    public const string Expiring = "Expiring";
    /// <summary>False while another writer keeps changing a tenant object back and the operator is backing off.</summary>
    public const string Uncontested = "Uncontested";
    /// <summary>False while the local clock disagrees with the API server's and expiry is held.</summary>
    public const string ClockInSync = "ClockInSync";
    /// <summary>True when a server-side dry run of a privileged pod is refused in the namespace (Pod Security admission or the webhook).</summary>
    public const string PodSecurityEnforced = "PodSecurityEnforced";
    /// <summary>The last verification (status.verification) found the demo isolated, asking the API server as its subjects.</summary>
    public const string IsolationVerified = "IsolationVerified";

    public static readonly IReadOnlyList<string> Components =
        [NamespaceReady, NetworkIsolated, AccessScoped, QuotaEnforced, SecretsProvisioned];
}
