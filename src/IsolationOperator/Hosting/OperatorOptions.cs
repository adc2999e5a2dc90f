namespace IsolationOperator.Hosting;

/// <summary>Configuration section "Operator" (env: Operator__MetricsPort=8080, ...).</summary>
public sealed class OperatorOptions
{
    /// <summary>Port for /healthz, /readyz and /metrics.</summary>
    public int MetricsPort { get; set; } = 8080;
    public string BindAddress { get; set; } = "0.0.0.0";
    /// <summary>Tenants reconciled at once (each tenant is only ever reconciled by one worker at a time).</summary>
    public int Workers { get; set; } = 4;
    /// <summary>Every tenant is looked at again this often, from the cache (no API reads).</summary>
    public TimeSpan ResyncPeriod { get; set; } = TimeSpan.FromMinutes(10);
    /// <summary>How long before expiry a demo turns Expiring and an ExpiringSoon warning is recorded.</summary>
    public TimeSpan ExpiringWindow { get; set; } = TimeSpan.FromHours(24);
    /// <summary>Expiry (irreversible) waits while the local clock and the API server's differ by more than this.</summary>
    public TimeSpan MaxClockSkew { get; set; } = TimeSpan.FromSeconds(30);
    public bool LeaderElection { get; set; } = true;
    public string? LeaseNamespace { get; set; }
    public string LeaseName { get; set; } = "isolation-operator-leader";
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromSeconds(15);
    public TimeSpan RenewDeadline { get; set; } = TimeSpan.FromSeconds(10);
    public TimeSpan RetryPeriod { get; set; } = TimeSpan.FromSeconds(2);
    /// <summary>Only DemoTenants matching this label selector are handled (sharding, canaries, tests).</summary>
    public string? TenantSelector { get; set; }
    /// <summary>This replica's name in leases and events; default the pod name (HOSTNAME).</summary>
    public string? Identity { get; set; }

    public string EffectiveIdentity => Identity ?? Environment.GetEnvironmentVariable("POD_NAME") ?? Environment.MachineName;

    public string EffectiveLeaseNamespace => LeaseNamespace ?? Environment.GetEnvironmentVariable("POD_NAMESPACE") ?? ReadServiceAccountNamespace() ?? "default";

    private static string? ReadServiceAccountNamespace()
    {
        const string path = "/var/run/secrets/kubernetes.io/serviceaccount/namespace";
        return File.Exists(path) ? File.ReadAllText(path).Trim() : null;
    }
}
