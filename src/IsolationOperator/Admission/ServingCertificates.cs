using System.Net;
using System.Security.Cryptography.X509Certificates;
using IsolationOperator.Engine;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace IsolationOperator.Admission;

/// <summary>
/// The certificate Kestrel presents, kept current. Self-made (default): the CA and the serving certificate live in one
/// Secret in the operator's namespace, created only by a create (two replicas starting at once converge on the
/// winner's), reused across restarts, and the serving certificate is renewed with a resourceVersion precondition when
/// a third of its life is left; each replica re-reads the Secret every check period, so all of them present the new
/// one long before the old one expires, and the CA (the caBundle) does not change. cert-manager mode: tls.crt and
/// tls.key are read from a mounted directory instead.
/// </summary>
public sealed class ServingCertificates
{
    private readonly IKubernetes _client;
    private readonly WebhookOptions _options;
    private readonly string _namespace;
    private readonly TimeProvider _time;
    private readonly ILogger _log;
    private X509Certificate2? _current;
    private string? _caBundle;

    public ServingCertificates(IKubernetes client, WebhookOptions options, string ns, TimeProvider time, ILogger log)
    {
        _client = client;
        _options = options;
        _namespace = ns;
        _time = time;
        _log = log;
        Names = NamesFor(options, ns);
    }

    /// <summary>What the serving certificate must name: loopback, the webhook host, and the chart's Service.</summary>
    public IReadOnlyList<string> Names { get; }

    /// <summary>The certificate with its key, or null before the first successful refresh.</summary>
    public X509Certificate2? Current => Volatile.Read(ref _current);

    /// <summary>PEM of the CA the API server must trust; null in cert-manager mode (its injector sets caBundle).</summary>
    public string? CaBundle => Volatile.Read(ref _caBundle);

    public static IReadOnlyList<string> NamesFor(WebhookOptions options, string ns)
    {
        var names = new List<string> { "localhost", "127.0.0.1" };
        if (!IPAddress.TryParse(options.Host, out var ip) || !(ip.Equals(IPAddress.Any) || ip.Equals(IPAddress.IPv6Any)))
            names.Add(options.Host);
        if (!string.IsNullOrEmpty(options.ServiceName))
            names.AddRange([$"{options.ServiceName}.{ns}.svc", $"{options.ServiceName}.{ns}.svc.cluster.local"]);
        return names.Distinct(StringComparer.OrdinalIgnoreCase).ToList();
    }

    /// <summary>Brings the presented certificate up to date. Returns true when the CA changed (caBundle must follow).</summary>
    public async Task<bool> RefreshAsync(CancellationToken ct)
    {
        if (_options.UsesCertManager)
        {
            LoadFromDirectory();
            return false;
        }
        var bundle = await EnsureSecretAsync(ct);
        var cert = bundle.ServingCertificateWithKey();
        var previous = Interlocked.Exchange(ref _current, cert);
        if (previous is not null && previous.Thumbprint != cert.Thumbprint)
            _log.LogInformation("webhook serving certificate {Fingerprint} now presented (valid until {NotAfter:u})", CertificateBundle.Fingerprint(cert), cert.NotAfter.ToUniversalTime());
        // The old certificate object is left to the GC: a handshake may still be using it.
        var caChanged = !string.Equals(Interlocked.Exchange(ref _caBundle, bundle.CaCertPem), bundle.CaCertPem, StringComparison.Ordinal);
        return caChanged;
    }

    private void LoadFromDirectory()
    {
        var dir = _options.CertDirectory!;
        var cert = X509Certificate2.CreateFromPemFile(Path.Combine(dir, CertificateBundle.ServingCertKey), Path.Combine(dir, CertificateBundle.ServingKeyKey));
        var previous = Volatile.Read(ref _current);
        if (previous?.Thumbprint == cert.Thumbprint) { cert.Dispose(); return; }
        Volatile.Write(ref _current, cert);
        _log.LogInformation("webhook serving certificate {Fingerprint} loaded from {Directory} (valid until {NotAfter:u})", CertificateBundle.Fingerprint(cert), dir, cert.NotAfter.ToUniversalTime());
    }

    private async Task<CertificateBundle> EnsureSecretAsync(CancellationToken ct)
    {
        for (var attempt = 0; ; attempt++)
        {
            var secret = await ReadAsync(ct);
            var stored = CertificateBundle.FromSecretData(secret?.Data);
            var now = _time.GetUtcNow();
            var action = WebhookCertificates.Decide(stored, now, Names);
            if (action == CertificateAction.Keep) return stored!;
            if (attempt >= 5) throw new InvalidOperationException($"Secret {_namespace}/{_options.SecretName} keeps changing under this replica; giving up for now");

            var next = action == CertificateAction.CreateAll
                ? WebhookCertificates.CreateAll(now, _options.CaLifetime, _options.ServingCertificateLifetime, Names)
                : WebhookCertificates.RenewServing(stored!, now, _options.ServingCertificateLifetime, Names);
            try
            {
                if (secret is null)
                {
                    await _client.CoreV1.CreateNamespacedSecretAsync(new V1Secret
                    {
                        Metadata = new V1ObjectMeta
                        {
                            Name = _options.SecretName, NamespaceProperty = _namespace,
                            Labels = new Dictionary<string, string> { [Desired.TenantLabels.ManagedBy] = Desired.TenantLabels.ManagedByValue },
                        },
                        Type = "kubernetes.io/tls",
                        Data = next.ToSecretData(),
                    }, _namespace, fieldManager: OperatorIdentity.FieldManager, cancellationToken: ct);
                }
                else
                {
                    // The resourceVersion in the body is the precondition: of two replicas renewing at once, one wins.
                    secret.Data = next.ToSecretData();
                    secret.Type ??= "kubernetes.io/tls";
                    await _client.CoreV1.ReplaceNamespacedSecretAsync(secret, _options.SecretName, _namespace, fieldManager: OperatorIdentity.FieldManager, cancellationToken: ct);
                }
            }
            catch (Exception e) when (ApiErrors.IsAlreadyExists(e) || ApiErrors.IsConflict(e))
            {
                continue; // another replica wrote first: use what it wrote
            }
            AdmissionMetrics.CertificateRenewals.Inc();
            using var issued = next.ServingCertificate();
            _log.LogInformation("webhook certificates: {Action} in Secret {Namespace}/{Secret}; serving certificate {Fingerprint} valid until {NotAfter:u}",
                action == CertificateAction.CreateAll ? "new CA and serving certificate" : "serving certificate renewed", _namespace, _options.SecretName,
                CertificateBundle.Fingerprint(issued), issued.NotAfter.ToUniversalTime());
            return next;
        }
    }

    private async Task<V1Secret?> ReadAsync(CancellationToken ct)
    {
        try { return await _client.CoreV1.ReadNamespacedSecretAsync(_options.SecretName, _namespace, cancellationToken: ct); }
        catch (Exception e) when (ApiErrors.IsNotFound(e, "secrets")) { return null; }
    }
}
