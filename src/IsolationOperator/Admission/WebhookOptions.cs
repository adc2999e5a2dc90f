namespace IsolationOperator.Admission;

/// <summary>Configuration section "Operator:Webhook" (env: Operator__Webhook__Port=9443, ...).</summary>
public sealed class WebhookOptions
{
    /// <summary>
    /// Serve the admission webhooks. Off unless set: the chart sets it from webhook.enabled (default true) and
    /// hack/run-local.sh turns it on; an operator started by hand or by a test has no webhook unless asked.
    /// </summary>
    public bool Enabled { get; set; }

    /// <summary>HTTPS port of the webhooks (every replica serves them, leader or not).</summary>
    public int Port { get; set; } = 9443;

    /// <summary>Address the webhook listens on, and the host of the URL clientConfig when self-registering.</summary>
    public string Host { get; set; } = "127.0.0.1";

    /// <summary>
    /// Create and update the webhook configurations (URL clientConfig https://Host:Port/path). Default: true outside a
    /// pod (no KUBERNETES_SERVICE_HOST), false in a pod, where the chart installs them and the operator only patches
    /// their caBundle.
    /// </summary>
    public bool? SelfRegister { get; set; }

    /// <summary>Name of the ValidatingWebhookConfiguration and of the MutatingWebhookConfiguration.</summary>
    public string ConfigurationName { get; set; } = "isolation-operator";

    /// <summary>
    /// Serve and register the webhooks that judge objects inside tenant namespaces (/validate-tenant-workloads,
    /// /mutate-tenant-pods). Off leaves only the DemoTenant webhooks: for a cluster where another policy engine (or Pod
    /// Security admission alone) does that job, and for several operators sharing one cluster, whose managed
    /// namespaces these webhooks cannot tell apart.
    /// </summary>
    public bool WorkloadPolicies { get; set; } = true;

    /// <summary>
    /// Serve and register /validate-operator-requests (<see cref="OperatorGuardReviewer"/>), which refuses the
    /// operator's own writes outside the namespaces it manages. Needs Operator__Admission__OperatorUser.
    /// </summary>
    public bool GuardOperator { get; set; } = true;

    /// <summary>Secret (in the operator's namespace) that holds the CA and the serving certificate.</summary>
    public string SecretName { get; set; } = "isolation-operator-webhook-tls";

    /// <summary>The chart's webhook Service, named in the serving certificate (name.namespace.svc). Empty outside a cluster.</summary>
    public string? ServiceName { get; set; }

    /// <summary>
    /// cert-manager mode: tls.crt and tls.key are read from this directory (a mounted Secret, re-read as it changes);
    /// the operator then neither creates a CA nor patches caBundle (cert-manager's CA injector does).
    /// </summary>
    public string? CertDirectory { get; set; }

    /// <summary>Lifetime of the self-made CA (not rotated: see the README).</summary>
    public TimeSpan CaLifetime { get; set; } = TimeSpan.FromDays(3650);

    /// <summary>Lifetime of a serving certificate; it is renewed when less than a third of it is left.</summary>
    public TimeSpan ServingCertificateLifetime { get; set; } = TimeSpan.FromDays(90);

    /// <summary>How often certificates (and, when the operator owns caBundle, the configurations) are checked. Default: a tenth of the serving lifetime, at most 10 minutes.</summary>
    public TimeSpan? CheckPeriod { get; set; }

    public bool EffectiveSelfRegister => SelfRegister ?? string.IsNullOrEmpty(Environment.GetEnvironmentVariable("KUBERNETES_SERVICE_HOST"));

    public bool UsesCertManager => !string.IsNullOrEmpty(CertDirectory);

    public TimeSpan EffectiveCheckPeriod =>
        CheckPeriod ?? TimeSpan.FromTicks(Math.Min(TimeSpan.FromMinutes(10).Ticks, Math.Max(TimeSpan.FromSeconds(1).Ticks, ServingCertificateLifetime.Ticks / 10)));

    /// <summary>Base URL the API server calls when the operator registers itself.</summary>
    public string BaseUrl => $"https://{(Host.Contains(':') ? $"[{Host}]" : Host)}:{Port}";

    /// <summary>Bad settings stop the start with one line, not the first admission.</summary>
    public void Validate()
    {
        if (!Enabled) return;
        if (Port is < 1 or > 65535) throw new InvalidOperationException($"Operator__Webhook__Port {Port} is not a TCP port (1-65535)");
        if (string.IsNullOrWhiteSpace(ConfigurationName)) throw new InvalidOperationException("Operator__Webhook__ConfigurationName must not be empty");
        if (string.IsNullOrWhiteSpace(SecretName) && !UsesCertManager) throw new InvalidOperationException("Operator__Webhook__SecretName must not be empty");
        if (ServingCertificateLifetime < TimeSpan.FromSeconds(3))
            throw new InvalidOperationException($"Operator__Webhook__ServingCertificateLifetime {ServingCertificateLifetime} is too short (3 s at least)");
        if (CaLifetime <= ServingCertificateLifetime)
            throw new InvalidOperationException("Operator__Webhook__CaLifetime must be longer than Operator__Webhook__ServingCertificateLifetime");
    }
}
