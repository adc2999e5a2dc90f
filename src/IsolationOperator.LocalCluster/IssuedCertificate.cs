using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace IsolationOperator.LocalCluster;

/// <summary>A certificate and its private key, in the PEM forms that kube binaries and kubeconfigs expect.</summary>
internal sealed class IssuedCertificate
{
    internal IssuedCertificate(X509Certificate2 certificate, ECDsa key)
    {
        Certificate = certificate;
        Key = key;
        CertificatePem = certificate.ExportCertificatePem() + "\n";
        KeyPem = key.ExportPkcs8PrivateKeyPem() + "\n";
    }

    public X509Certificate2 Certificate { get; }

    internal ECDsa Key { get; }

    public string CertificatePem { get; }

    public string KeyPem { get; }

    /// <summary>The certificate with its key attached, usable as a TLS client certificate.</summary>
    public X509Certificate2 WithPrivateKey() => Certificate.CopyWithPrivateKey(Key);

    public void WriteTo(string certificatePath, string keyPath)
    {
        File.WriteAllText(certificatePath, CertificatePem);
        File.WriteAllText(keyPath, KeyPem);
        // Keys are secrets even in a throwaway plane; etcd/apiserver do not care, but humans copying dirs might.
        PrivateFile.Restrict(keyPath);
    }
}
