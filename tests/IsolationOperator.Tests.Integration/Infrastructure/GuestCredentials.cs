using System.Net;
using System.Text;
using IsolationOperator.Cli.Model;
using IsolationOperator.LocalCluster;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace IsolationOperator.Tests.Integration.Infrastructure;

/// <summary>A guest's token, as plain kubectl and a plain client would use it: no certificate, no impersonation.</summary>
public static class GuestCredentials
{
    /// <summary>Asks for a token for the guest's ServiceAccount as <paramref name="issuer"/> (the TokenRequest API).</summary>
    public static async Task<string> IssueAsync(IKubernetes issuer, string ns, string serviceAccount, long seconds = 3600)
    {
        var request = await issuer.CoreV1.CreateNamespacedServiceAccountTokenAsync(
            new Authenticationv1TokenRequest { Spec = new V1TokenRequestSpec { Audiences = [], ExpirationSeconds = seconds } }, serviceAccount, ns);
        return request.Status.Token;
    }

    public static IKubernetes Client(ControlPlane plane, string token)
    {
        var admin = plane.AdminConfig();
        return new Kubernetes(new KubernetesClientConfiguration
        {
            Host = plane.ServerUrl, AccessToken = token, SslCaCerts = admin.SslCaCerts, SkipTlsVerify = admin.SkipTlsVerify,
        });
    }

    /// <summary>A kubeconfig holding only the server, its CA and the token, for plain <c>kubectl</c>: the one the CLI hands a guest.</summary>
    public static string WriteKubeconfig(ControlPlane plane, string ns, string token)
    {
        var admin = plane.AdminConfig();
        var ca = admin.SslCaCerts is { Count: > 0 } certs
            ? Convert.ToBase64String(Encoding.ASCII.GetBytes(string.Concat(certs.Select(c => c.ExportCertificatePem() + "\n"))))
            : null;
        var cluster = new GuestKubeconfig.ClusterInfo(plane.ServerUrl, ca, InsecureSkipTlsVerify: ca is null);
        var path = Path.Combine(Path.GetTempPath(), $"guest-{Guid.NewGuid():N}.kubeconfig");
        File.WriteAllText(path, GuestKubeconfig.Build(cluster, "test", "guest", ns, token));
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        return path;
    }

    /// <summary>The status code a request with this token gets for listing pods in <paramref name="ns"/> (200 when allowed).</summary>
    public static async Task<HttpStatusCode> ListPodsAsync(IKubernetes guest, string ns)
    {
        try
        {
            await guest.CoreV1.ListNamespacedPodAsync(ns);
            return HttpStatusCode.OK;
        }
        catch (HttpOperationException e)
        {
            return e.Response.StatusCode;
        }
    }
}
