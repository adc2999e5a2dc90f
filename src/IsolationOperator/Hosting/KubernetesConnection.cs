using k8s;

namespace IsolationOperator.Hosting;

/// <summary>
/// Chooses the cluster explicitly: in-cluster inside a pod, else the kubeconfig. Never BuildDefaultConfig, which
/// silently falls back to http://localhost:8080 and hides a missing configuration.
/// </summary>
public static class KubernetesConnection
{
    public static KubernetesClientConfiguration LoadConfig()
    {
        if (KubernetesClientConfiguration.IsInCluster()) return Harden(KubernetesClientConfiguration.InClusterConfig());
        var env = Environment.GetEnvironmentVariable("KUBECONFIG");
        var path = !string.IsNullOrEmpty(env)
            ? env.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries).FirstOrDefault(File.Exists)
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".kube", "config");
        if (path is null || !File.Exists(path))
            throw new ConnectionException(string.IsNullOrEmpty(env)
                ? "no Kubernetes cluster configured: not running in a pod, KUBECONFIG is not set and ~/.kube/config does not exist"
                : $"KUBECONFIG names no existing file ({env})");
        try { return Harden(KubernetesClientConfiguration.BuildConfigFromConfigFile(path)); }
        catch (Exception e) { throw new ConnectionException($"cannot read kubeconfig {path}: {e.Message}"); }
    }

    /// <summary>
    /// The operator's client: response buffering (<see cref="BufferedResponseHandler"/>) outermost, then
    /// <paramref name="handlers"/> (outermost first), then the socket handler.
    /// </summary>
    public static Kubernetes NewClient(KubernetesClientConfiguration config, params DelegatingHandler[] handlers) =>
        new(config, [new BufferedResponseHandler(), .. handlers]);

    /// <summary>
    /// Requests share one HTTP/2 connection; a path that dies silently (no RST) would hold every new watch and write
    /// until the OS gives up. Keep-alive pings find a dead connection in ~25 s, so reconnects get a fresh one.
    /// </summary>
    public static KubernetesClientConfiguration Harden(KubernetesClientConfiguration config)
    {
        var previous = config.FirstMessageHandlerSetup;
        config.FirstMessageHandlerSetup = handler =>
        {
            previous?.Invoke(handler);
            if (handler is SocketsHttpHandler sockets)
            {
                sockets.KeepAlivePingDelay = TimeSpan.FromSeconds(15);
                sockets.KeepAlivePingTimeout = TimeSpan.FromSeconds(10);
                sockets.KeepAlivePingPolicy = HttpKeepAlivePingPolicy.Always;
            }
        };
        return config;
    }

    /// <summary>Asks the server for its version: proves the address, the credentials and the TLS setup in one call.</summary>
    public static async Task<string> CheckAsync(IKubernetes client, string server, TimeSpan timeout, CancellationToken ct)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        cts.CancelAfter(timeout);
        try
        {
            var v = await client.Version.GetCodeAsync(cts.Token);
            return v.GitVersion;
        }
        catch (Exception e) when (!ct.IsCancellationRequested)
        {
            var reason = e is OperationCanceledException ? $"no answer within {timeout.TotalSeconds:0}s" : Innermost(e).Message;
            throw new ConnectionException($"cannot reach the Kubernetes API server at {server}: {reason}");
        }
    }

    private static Exception Innermost(Exception e) => e.InnerException is null ? e : Innermost(e.InnerException);
}

public sealed class ConnectionException(string message) : Exception(message);
