using System.Security.Cryptography;

namespace IsolationOperator.LocalCluster;

/// <summary>
/// The RSA pair the apiserver signs service-account tokens with (private) and verifies them with (public);
/// the controller manager signs the legacy token secrets with the same private key.
/// </summary>
internal static class ServiceAccountKeys
{
    public static void Write(string privateKeyPath, string publicKeyPath)
    {
        using var rsa = RSA.Create(2048);
        File.WriteAllText(privateKeyPath, rsa.ExportRSAPrivateKeyPem() + "\n");
        PrivateFile.Restrict(privateKeyPath);
        File.WriteAllText(publicKeyPath, rsa.ExportSubjectPublicKeyInfoPem() + "\n");
    }
}
