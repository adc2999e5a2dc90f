namespace IsolationOperator.Api.V1Alpha1;

public static class Phases
{
    public const string Pending = "Pending";
    public const string Provisioning = "Provisioning";
    public const string Ready = "Ready";
    public const string Failed = "Failed";
    public const string Terminating = "Terminating";
}

public static class ConditionTypes
{
    public const string Ready = "Ready";
    public const string NamespaceReady = "NamespaceReady";
    public const string NetworkIsolated = "NetworkIsolated";
    public const string AccessScoped = "AccessScoped";
    public const string QuotaEnforced = "QuotaEnforced";
    public const string SecretsProvisioned = "SecretsProvisioned";

    public static readonly IReadOnlyList<string> Components =
        [NamespaceReady, NetworkIsolated, AccessScoped, QuotaEnforced, SecretsProvisioned];
}
