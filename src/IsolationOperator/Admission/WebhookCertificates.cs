using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace IsolationOperator.Admission;

/// <summary>What to do with the stored certificates.</summary>
public enum CertificateAction
{
    /// <summary>Both valid, the serving one with more than a third of its life left.</summary>
    Keep,
    /// <summary>A new serving certificate from the stored CA (the caBundle stays the same, so no admission fails).</summary>
    RenewServing,
    /// <summary>Nothing usable stored (none, unreadable, or the CA near its end): a new CA and serving certificate.</summary>
    CreateAll,
}

/// <summary>
/// A small CA of the operator's own and the serving certificates it signs (ECDSA P-256, SHA-256). Pure: the clock
/// and the names come in, PEM goes out, so the decisions are unit-tested without an API server.
/// </summary>
public static class WebhookCertificates
{
    /// <summary>
    /// Certificates start a little before "now", so a node whose clock is a little behind accepts them: a tenth of
    /// the lifetime, at most a minute (a short test lifetime must not be mostly in the past).
    /// </summary>
    public static TimeSpan Backdate(TimeSpan lifetime) => TimeSpan.FromTicks(Math.Min(TimeSpan.FromMinutes(1).Ticks, lifetime.Ticks / 10));

    public static CertificateAction Decide(CertificateBundle? stored, DateTimeOffset now, IReadOnlyCollection<string> requiredNames)
    {
        if (stored is null) return CertificateAction.CreateAll;
        X509Certificate2 ca, serving;
        try
        {
            ca = stored.CaCertificateWithKey();
            serving = stored.ServingCertificateWithKey();
        }
        catch (CryptographicException) { return CertificateAction.CreateAll; }
        using (ca)
        using (serving)
        {
            // A CA with less than a third of its life left is replaced whole (the caBundle changes with it).
            if (RemainingFraction(ca, now) < 1.0 / 3) return CertificateAction.CreateAll;
            if (serving.Issuer != ca.Subject || !SignedBy(serving, ca)) return CertificateAction.RenewServing;
            if (RemainingFraction(serving, now) < 1.0 / 3) return CertificateAction.RenewServing;
            var names = Names(serving);
            if (!requiredNames.All(n => names.Contains(n, StringComparer.OrdinalIgnoreCase))) return CertificateAction.RenewServing;
            return CertificateAction.Keep;
        }
    }

    /// <summary>When the serving certificate should be renewed: two thirds into its life.</summary>
    public static DateTimeOffset RenewAt(X509Certificate2 cert)
    {
        var from = new DateTimeOffset(cert.NotBefore.ToUniversalTime());
        var to = new DateTimeOffset(cert.NotAfter.ToUniversalTime());
        return from + (to - from) * 2 / 3;
    }

    public static CertificateBundle CreateAll(DateTimeOffset now, TimeSpan caLifetime, TimeSpan servingLifetime, IReadOnlyCollection<string> names)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var req = new CertificateRequest($"CN=isolation-operator-webhook-ca-{now:yyyyMMddHHmmss}", key, HashAlgorithmName.SHA256);
        req.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
        req.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        req.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(req.PublicKey, false));
        using var ca = req.CreateSelfSigned(now - Backdate(caLifetime), now + caLifetime);
        var caPem = ca.ExportCertificatePem();
        var caKeyPem = key.ExportPkcs8PrivateKeyPem();
        var (cert, certKey) = Serving(ca, now, servingLifetime, names);
        return new CertificateBundle(caPem, caKeyPem, cert, certKey);
    }

    public static CertificateBundle RenewServing(CertificateBundle stored, DateTimeOffset now, TimeSpan servingLifetime, IReadOnlyCollection<string> names)
    {
        using var ca = stored.CaCertificateWithKey();
        var (cert, key) = Serving(ca, now, servingLifetime, names);
        return stored with { ServingCertPem = cert, ServingKeyPem = key };
    }

    /// <summary>DNS and IP names of a serving certificate (its SubjectAltName: Go's TLS ignores the CN).</summary>
    public static IReadOnlyList<string> Names(X509Certificate2 cert)
    {
        var san = cert.Extensions.OfType<X509SubjectAlternativeNameExtension>().FirstOrDefault();
        if (san is null) return [];
        return [.. san.EnumerateDnsNames(), .. san.EnumerateIPAddresses().Select(ip => ip.ToString())];
    }

    private static (string Cert, string Key) Serving(X509Certificate2 ca, DateTimeOffset now, TimeSpan lifetime, IReadOnlyCollection<string> names)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var req = new CertificateRequest("CN=isolation-operator-webhook", key, HashAlgorithmName.SHA256);
        req.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        req.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        req.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        req.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(ca, true, false));
        var san = new SubjectAlternativeNameBuilder();
        foreach (var n in names)
            if (IPAddress.TryParse(n, out var ip)) san.AddIpAddress(ip); else san.AddDnsName(n);
        req.CertificateExtensions.Add(san.Build(true));
        var notAfter = now + lifetime;
        if (notAfter > ca.NotAfter.ToUniversalTime()) notAfter = ca.NotAfter.ToUniversalTime();
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7f; // positive
        using var cert = req.Create(ca, now - Backdate(lifetime), notAfter, serial);
        return (cert.ExportCertificatePem(), key.ExportPkcs8PrivateKeyPem());
    }

    private static double RemainingFraction(X509Certificate2 cert, DateTimeOffset now)
    {
        var from = cert.NotBefore.ToUniversalTime();
        var to = cert.NotAfter.ToUniversalTime();
        var total = (to - from).TotalSeconds;
        return total <= 0 ? 0 : (to - now.UtcDateTime).TotalSeconds / total;
    }

    private static bool SignedBy(X509Certificate2 cert, X509Certificate2 ca)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.VerificationFlags = X509VerificationFlags.IgnoreNotTimeValid;
        return chain.Build(cert);
    }
}
