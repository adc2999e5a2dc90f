using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace IsolationOperator.LocalCluster;

/// <summary>
/// A throwaway CA that signs the apiserver serving cert and every client cert. Generated in-process
/// (no openssl); ECDSA P-256 because key generation is ~1 ms, which keeps ConfigFor(user) cheap.
/// </summary>
internal sealed class CertificateAuthority : IDisposable
{
    private static readonly TimeSpan ClockSkew = TimeSpan.FromHours(1);
    private readonly X509Certificate2 _signer;

    private CertificateAuthority(IssuedCertificate root)
    {
        Root = root;
        _signer = root.WithPrivateKey();
    }

    public IssuedCertificate Root { get; }

    public static CertificateAuthority Create(string commonName = "isolation-operator-test-ca")
    {
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={commonName}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(
            X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign | X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        var now = DateTimeOffset.UtcNow;
        using var selfSigned = request.CreateSelfSigned(now - ClockSkew, now.AddYears(10));
        // Re-import without the key so Root.Certificate is a plain public certificate.
        var certificate = X509CertificateLoader.LoadCertificate(selfSigned.RawData);
        return new CertificateAuthority(new IssuedCertificate(certificate, key));
    }

    /// <summary>Client certificate: the apiserver maps CN to the user name and each O to a group.</summary>
    public IssuedCertificate IssueClient(string user, params string[] groups)
    {
        var subject = new X500DistinguishedNameBuilder();
        foreach (var group in groups)
        {
            subject.AddOrganizationName(group);
        }

        subject.AddCommonName(user);
        return Issue(subject.Build(), serverAuth: false, dnsNames: [], ipAddresses: []);
    }

    public IssuedCertificate IssueServer(string commonName, IEnumerable<string> dnsNames, IEnumerable<IPAddress> ipAddresses)
    {
        var subject = new X500DistinguishedNameBuilder();
        subject.AddCommonName(commonName);
        return Issue(subject.Build(), serverAuth: true, dnsNames, ipAddresses);
    }

    public void Dispose() => _signer.Dispose();

    private IssuedCertificate Issue(
        X500DistinguishedName subject, bool serverAuth, IEnumerable<string> dnsNames, IEnumerable<IPAddress> ipAddresses)
    {
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        var usage = serverAuth ? "1.3.6.1.5.5.7.3.1" : "1.3.6.1.5.5.7.3.2";
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(usage)], false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(_signer, true, false));
        var san = new SubjectAlternativeNameBuilder();
        var anySan = false;
        foreach (var dns in dnsNames)
        {
            san.AddDnsName(dns);
            anySan = true;
        }

        foreach (var ip in ipAddresses)
        {
            san.AddIpAddress(ip);
            anySan = true;
        }

        if (anySan)
        {
            request.CertificateExtensions.Add(san.Build());
        }

        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7F; // positive, as RFC 5280 requires
        var now = DateTimeOffset.UtcNow;
        var certificate = request.Create(_signer, now - ClockSkew, now.AddYears(1), serial);
        return new IssuedCertificate(certificate, key);
    }
}
