using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace IsolationOperator.Admission;

/// <summary>
/// The CA and the serving certificate, as PEM (what the Secret stores). The keys never leave this object except
/// into the Secret and Kestrel: they are never logged, and never written to events or status.
/// </summary>
public sealed record CertificateBundle(string CaCertPem, string CaKeyPem, string ServingCertPem, string ServingKeyPem)
{
    public const string CaCertKey = "ca.crt";
    public const string CaKeyKey = "ca.key";
    public const string ServingCertKey = "tls.crt";
    public const string ServingKeyKey = "tls.key";

    public IDictionary<string, byte[]> ToSecretData() => new Dictionary<string, byte[]>
    {
        [CaCertKey] = System.Text.Encoding.UTF8.GetBytes(CaCertPem),
        [CaKeyKey] = System.Text.Encoding.UTF8.GetBytes(CaKeyPem),
        [ServingCertKey] = System.Text.Encoding.UTF8.GetBytes(ServingCertPem),
        [ServingKeyKey] = System.Text.Encoding.UTF8.GetBytes(ServingKeyPem),
    };

    /// <summary>Null when a key is missing (a Secret someone else made, or half-written by hand).</summary>
    public static CertificateBundle? FromSecretData(IDictionary<string, byte[]>? data)
    {
        if (data is null) return null;
        string? Get(string k) => data.TryGetValue(k, out var v) && v is { Length: > 0 } ? System.Text.Encoding.UTF8.GetString(v) : null;
        return Get(CaCertKey) is { } caCert && Get(CaKeyKey) is { } caKey && Get(ServingCertKey) is { } cert && Get(ServingKeyKey) is { } key
            ? new CertificateBundle(caCert, caKey, cert, key) : null;
    }

    public X509Certificate2 CaCertificate() => X509Certificate2.CreateFromPem(CaCertPem);

    public X509Certificate2 ServingCertificate() => X509Certificate2.CreateFromPem(ServingCertPem);

    /// <summary>The serving certificate with its key, for Kestrel.</summary>
    public X509Certificate2 ServingCertificateWithKey() => X509Certificate2.CreateFromPem(ServingCertPem, ServingKeyPem);

    public X509Certificate2 CaCertificateWithKey() => X509Certificate2.CreateFromPem(CaCertPem, CaKeyPem);

    /// <summary>The SHA-256 fingerprint of the serving certificate: what logs may say about it.</summary>
    public string ServingFingerprint() => Fingerprint(ServingCertificate());

    public static string Fingerprint(X509Certificate2 cert) => Convert.ToHexString(cert.GetCertHash(HashAlgorithmName.SHA256))[..16].ToLowerInvariant();
}
