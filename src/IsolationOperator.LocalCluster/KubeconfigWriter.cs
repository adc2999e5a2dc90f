using System.Text;
using k8s;
using k8s.KubeConfigModels;

namespace IsolationOperator.LocalCluster;

/// <summary>Writes self-contained kubeconfig files (all certificates embedded) for kubectl and the KCM.</summary>
internal static class KubeconfigWriter
{
    private const string ContextName = "isolation-local";

    public static void WriteClientCertificate(string path, string serverUrl, string caPem, IssuedCertificate client, string userName)
    {
        var config = new K8SConfiguration
        {
            ApiVersion = "v1",
            Kind = "Config",
            CurrentContext = ContextName,
            Clusters =
            [
                new Cluster
                {
                    Name = ContextName,
                    ClusterEndpoint = new ClusterEndpoint { Server = serverUrl, CertificateAuthorityData = Base64(caPem) },
                },
            ],
            Users =
            [
                new User
                {
                    Name = userName,
                    UserCredentials = new UserCredentials
                    {
                        ClientCertificateData = Base64(client.CertificatePem),
                        ClientKeyData = Base64(client.KeyPem),
                    },
                },
            ],
            Contexts =
            [
                new Context { Name = ContextName, ContextDetails = new ContextDetails { Cluster = ContextName, User = userName } },
            ],
        };
        Write(path, config);
    }

    /// <summary>
    /// For an existing cluster: the current context only, with the user's credentials plus `as`/`as-groups`
    /// so kubectl impersonates. Relative file references are made absolute because the file moves.
    /// </summary>
    public static void WriteImpersonating(string path, string sourceKubeconfig, string user, string[] groups)
    {
        var source = KubernetesClientConfiguration.LoadKubeConfig(sourceKubeconfig);
        var baseDir = Path.GetDirectoryName(Path.GetFullPath(sourceKubeconfig))!;
        var context = source.Contexts.FirstOrDefault(c => c.Name == source.CurrentContext)
            ?? throw new InvalidOperationException($"{sourceKubeconfig} has no current context");
        var cluster = source.Clusters.First(c => c.Name == context.ContextDetails.Cluster);
        var admin = source.Users?.FirstOrDefault(u => u.Name == context.ContextDetails.User)?.UserCredentials ?? new UserCredentials();

        cluster.ClusterEndpoint.CertificateAuthority = Absolute(baseDir, cluster.ClusterEndpoint.CertificateAuthority);
        admin.ClientCertificate = Absolute(baseDir, admin.ClientCertificate);
        admin.ClientKey = Absolute(baseDir, admin.ClientKey);
        admin.Impersonate = user;
        admin.ImpersonateGroups = groups.Length == 0 ? null : groups;

        var userName = $"impersonate-{user}";
        var config = new K8SConfiguration
        {
            ApiVersion = "v1",
            Kind = "Config",
            CurrentContext = context.Name,
            Clusters = [cluster],
            Users = [new User { Name = userName, UserCredentials = admin }],
            Contexts =
            [
                new Context
                {
                    Name = context.Name,
                    ContextDetails = new ContextDetails
                    {
                        Cluster = context.ContextDetails.Cluster,
                        User = userName,
                        Namespace = context.ContextDetails.Namespace,
                    },
                },
            ],
        };
        Write(path, config);
    }

    private static void Write(string path, K8SConfiguration config)
    {
        File.WriteAllText(path, KubernetesYaml.Serialize(config));
        // Holds private keys.
        PrivateFile.Restrict(path);
    }

    private static string Base64(string pem) => Convert.ToBase64String(Encoding.UTF8.GetBytes(pem));

    private static string? Absolute(string baseDir, string? path) =>
        string.IsNullOrEmpty(path) ? path : Path.GetFullPath(path, baseDir);
}
