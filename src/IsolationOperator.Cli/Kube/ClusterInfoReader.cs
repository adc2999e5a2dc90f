using IsolationOperator.Cli.Model;

namespace IsolationOperator.Cli.Kube;

/// <summary>The caller's current cluster as a guest needs it: the server and its CA, none of the caller's credentials.</summary>
public static class ClusterInfoReader
{
    public static GuestKubeconfig.ClusterInfo Read(KubeTarget target)
    {
        var endpoint = target.Cluster.ClusterEndpoint;
        var ca = endpoint.CertificateAuthorityData;
        if (string.IsNullOrEmpty(ca) && !string.IsNullOrEmpty(endpoint.CertificateAuthority))
        {
            var file = Path.IsPathRooted(endpoint.CertificateAuthority) ? endpoint.CertificateAuthority
                : Path.Combine(target.BaseDirectory, endpoint.CertificateAuthority);
            ca = Convert.ToBase64String(File.ReadAllBytes(file));
        }
        return new GuestKubeconfig.ClusterInfo(endpoint.Server, ca, endpoint.SkipTlsVerify, endpoint.TlsServerName);
    }
}
