using System.Security.Cryptography.X509Certificates;
using IsolationOperator.Hosting;
using k8s;
using k8s.KubeConfigModels;

namespace IsolationOperator.Cli.Kube;

/// <summary>
/// The caller's cluster, from --kubeconfig, else KUBECONFIG, else ~/.kube/config (as the operator's
/// KubernetesConnection chooses), with --context. Never the client library's silent fallback to localhost.
/// </summary>
public sealed class KubeTarget
{
    private KubeTarget(string path, K8SConfiguration file, Context context, KubernetesClientConfiguration config, Impersonation? actAs)
    {
        ActAs = actAs;
        Path = path;
        File = file;
        Context = context;
        Config = config;
    }

    public string Path { get; }
    public K8SConfiguration File { get; }
    public Context Context { get; }
    public KubernetesClientConfiguration Config { get; }
    public string Server => Config.Host;
    /// <summary>Who requests are made as, when not the credentials' own user (--as, or the kubeconfig user's as).</summary>
    public Impersonation? ActAs { get; }

    public static KubeTarget Load(string? kubeconfig, string? context, string? asUser = null, IReadOnlyList<string>? asGroups = null) =>
        FromFiles(Locate(kubeconfig), context, asUser, asGroups);

    /// <summary>The target from these kubeconfig files, merged in order (KUBECONFIG's list).</summary>
    public static KubeTarget FromFiles(IReadOnlyList<string> paths, string? context, string? asUser = null, IReadOnlyList<string>? asGroups = null)
    {
        var path = string.Join(System.IO.Path.PathSeparator, paths);
        K8SConfiguration file;
        KubernetesClientConfiguration config;
        try
        {
            if (paths.All(p => string.IsNullOrWhiteSpace(System.IO.File.ReadAllText(p)))) throw new CliException($"kubeconfig {path} is empty: point KUBECONFIG (or --kubeconfig) at your cluster's kubeconfig");
            // KUBECONFIG=a:b is merged as kubectl merges it (the first file's current-context wins).
            file = Merge(paths.Where(p => !string.IsNullOrWhiteSpace(System.IO.File.ReadAllText(p))).Select(p => KubernetesClientConfiguration.LoadKubeConfig(p)).ToList());
            // The library's own messages for these are a null reference or a type name: say what to do instead.
            if (file?.Contexts is null || !file.Contexts.Any()) throw new CliException($"kubeconfig {path} defines no context: is it a kubeconfig? (kubectl config view)");
            if (context is null && string.IsNullOrEmpty(file.CurrentContext))
                throw new CliException($"kubeconfig {path} has no current-context: pass --context (kubectl config get-contexts lists them)");
            var chosen = file.Contexts.FirstOrDefault(c => c.Name == (context ?? file.CurrentContext));
            var cluster = chosen is null ? null : file.Clusters?.FirstOrDefault(c => c.Name == chosen.ContextDetails?.Cluster);
            if (chosen is not null && string.IsNullOrWhiteSpace(cluster?.ClusterEndpoint?.Server))
                throw new CliException($"kubeconfig {path}: context \"{chosen.Name}\" names no cluster with a server address");
            config = KubernetesClientConfiguration.BuildConfigFromConfigObject(file, context);
        }
        catch (Exception e) when (e is not CliException)
        {
            throw new CliException($"cannot use kubeconfig {path}{(context is null ? "" : $" (context {context})")}: {e.Message}");
        }
        var name = context ?? file.CurrentContext;
        var ctx = file.Contexts?.FirstOrDefault(c => c.Name == name)
            ?? throw new CliException($"kubeconfig {path} has no context \"{name}\"; pick one with --context (kubectl config get-contexts)");
        if (string.IsNullOrWhiteSpace(config.Host))
            throw new CliException($"kubeconfig {path}: context \"{name}\" names no server");
        var user = file.Users?.FirstOrDefault(u => u.Name == ctx.ContextDetails.User)?.UserCredentials;
        var actAs = !string.IsNullOrEmpty(asUser) ? new Impersonation(asUser, asGroups ?? [])
            : !string.IsNullOrEmpty(user?.Impersonate) ? new Impersonation(user.Impersonate, user.ImpersonateGroups?.ToList() ?? [])
            : asGroups is { Count: > 0 } ? throw new CliException("--as-group needs --as USER")
            : null;
        return new KubeTarget(path, file, ctx, KubernetesConnection.Harden(config), actAs);
    }

    private static IReadOnlyList<string> Locate(string? kubeconfig)
    {
        if (!string.IsNullOrEmpty(kubeconfig))
            return System.IO.File.Exists(kubeconfig) ? [kubeconfig] : throw new CliException($"--kubeconfig {kubeconfig}: no such file");
        var env = Environment.GetEnvironmentVariable("KUBECONFIG");
        var paths = !string.IsNullOrEmpty(env)
            ? env.Split(System.IO.Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries).Where(System.IO.File.Exists).ToList()
            : [System.IO.Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".kube", "config")];
        if (paths.Count == 0 || !paths.All(System.IO.File.Exists))
            throw new CliException(string.IsNullOrEmpty(env)
                ? "no kubeconfig: set KUBECONFIG=/path/to/kubeconfig (or pass --kubeconfig, or create ~/.kube/config)"
                : $"KUBECONFIG names no existing file ({env}): point it at your kubeconfig, or pass --kubeconfig");
        return paths;
    }

    /// <summary>kubectl's rule: the first file to name a cluster, user or context wins, and the first current-context.</summary>
    private static K8SConfiguration Merge(IReadOnlyList<K8SConfiguration> files)
    {
        var merged = files[0];
        foreach (var f in files.Skip(1))
        {
            merged.CurrentContext = string.IsNullOrEmpty(merged.CurrentContext) ? f.CurrentContext : merged.CurrentContext;
            merged.Clusters = (merged.Clusters ?? []).Concat((f.Clusters ?? []).Where(c => merged.Clusters?.All(m => m.Name != c.Name) != false)).ToList();
            merged.Users = (merged.Users ?? []).Concat((f.Users ?? []).Where(u => merged.Users?.All(m => m.Name != u.Name) != false)).ToList();
            merged.Contexts = (merged.Contexts ?? []).Concat((f.Contexts ?? []).Where(c => merged.Contexts?.All(m => m.Name != c.Name) != false)).ToList();
        }
        return merged;
    }

    /// <summary>The file a relative path in the kubeconfig is relative to (the first, for a merged KUBECONFIG).</summary>
    public string BaseDirectory => System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(Path.Split(System.IO.Path.PathSeparator)[0]))!;

    public IKubernetes Client() => ActAs is null ? new Kubernetes(Config) : new Kubernetes(Config, ActAs.Handler());

    public Cluster Cluster => File.Clusters?.FirstOrDefault(c => c.Name == Context.ContextDetails.Cluster)
        ?? throw new CliException($"kubeconfig {Path}: context \"{Context.Name}\" names cluster \"{Context.ContextDetails.Cluster}\", which it does not define");

    /// <summary>
    /// Who the caller is, when the kubeconfig says so locally: the client certificate's common name (the API
    /// server's user name for it). Null for tokens and exec plugins, where only the server knows.
    /// </summary>
    public string? Identity()
    {
        if (ActAs is not null) return ActAs.User;
        var user = File.Users?.FirstOrDefault(u => u.Name == Context.ContextDetails.User)?.UserCredentials;
        try
        {
            string? pem = null;
            if (!string.IsNullOrEmpty(user?.ClientCertificateData)) pem = System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(user.ClientCertificateData));
            else if (!string.IsNullOrEmpty(user?.ClientCertificate))
                pem = System.IO.File.ReadAllText(System.IO.Path.IsPathRooted(user.ClientCertificate) ? user.ClientCertificate
                    : System.IO.Path.Combine(BaseDirectory, user.ClientCertificate));
            if (pem is null) return null;
            var cn = X509Certificate2.CreateFromPem(pem).GetNameInfo(X509NameType.SimpleName, false);
            return string.IsNullOrEmpty(cn) ? null : cn;
        }
        catch (Exception e) when (e is FormatException or IOException or System.Security.Cryptography.CryptographicException) { return null; }
    }
}
