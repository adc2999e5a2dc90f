using k8s;

namespace IsolationOperator.LocalCluster;

/// <summary>
/// A real Kubernetes 1.20 control plane (etcd, kube-apiserver, kube-controller-manager) on loopback ports,
/// or, with UseExistingCluster, a handle on the current kubeconfig's cluster. Dispose to stop it.
/// </summary>
public sealed class ControlPlane : IAsyncDisposable
{
    private const int PortConflictAttempts = 3;
    private readonly LocalPlane? _local;
    private readonly Lock _scratchGate = new();
    private string? _scratchDirectory;

    private ControlPlane(LocalPlane local, string assetsDirectory)
    {
        _local = local;
        AssetsDirectory = assetsDirectory;
        ServerUrl = local.ServerUrl;
        KubeconfigPath = local.Layout.AdminKubeconfig;
        AuditLogPath = local.Layout.AuditLog;
        WorkDirectory = local.Layout.Root;
    }

    private ControlPlane(string kubeconfigPath, string serverUrl)
    {
        KubeconfigPath = kubeconfigPath;
        ServerUrl = serverUrl;
    }

    public bool IsExistingCluster => _local is null;

    /// <summary>Restarts the local kube-apiserver (fault tests); see <see cref="LocalPlane.RestartApiServerAsync"/>.</summary>
    public Task RestartApiServerAsync(int signal, TimeSpan downtime, CancellationToken ct = default) =>
        (_local ?? throw new NotSupportedException("only the local plane can be restarted")).RestartApiServerAsync(signal, downtime, ct);

    /// <summary>The local plane's etcd client URL (fault tests compact its history to force 410 Gone).</summary>
    public string EtcdClientUrl => _local?.EtcdClientUrl ?? throw new NotSupportedException("no etcd on an existing cluster");

    public string ServerUrl { get; }

    /// <summary>Admin kubeconfig (for an existing cluster: the user's current one).</summary>
    public string KubeconfigPath { get; }

    /// <summary>JSON-lines audit log of the apiserver (level Metadata); null for an existing cluster.</summary>
    public string? AuditLogPath { get; }

    /// <summary>Certificates, etcd data, logs/*.log of each process; null for an existing cluster.</summary>
    public string? WorkDirectory { get; }

    /// <summary>Where etcd/kube-apiserver/kube-controller-manager came from; null for an existing cluster.</summary>
    public string? AssetsDirectory { get; }

    /// <summary>Pids of etcd, kube-apiserver and kube-controller-manager (empty for an existing cluster).</summary>
    public IReadOnlyList<int> ProcessIds => _local?.ProcessIds ?? [];

    public static async Task<ControlPlane> StartAsync(ControlPlaneOptions options, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.UseExistingCluster ?? Environment.GetEnvironmentVariable("USE_EXISTING_CLUSTER") == "true")
        {
            return await ConnectToExistingAsync(options.StartTimeout, ct).ConfigureAwait(false);
        }

        var assets = await AssetLocator.ResolveAsync(options.AssetsDirectory, ct).ConfigureAwait(false);
        foreach (var binary in new[] { "etcd", "kube-apiserver" })
        {
            if (!File.Exists(Path.Combine(assets, binary)))
            {
                throw new InvalidOperationException($"{binary} not found in assets directory {assets}");
            }
        }

        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return new ControlPlane(await LocalPlane.StartAsync(options, assets, ct).ConfigureAwait(false), assets);
            }
            catch (ControlPlaneStartException e) when (e.IsPortConflict && attempt < PortConflictAttempts)
            {
                // Another process grabbed a port between our probe and the child's bind: pick new ones.
            }
        }
    }

    /// <summary>cluster-admin (group system:masters).</summary>
    public KubernetesClientConfiguration AdminConfig() =>
        _local?.AdminConfig() ?? KubernetesClientConfiguration.BuildConfigFromConfigFile(KubeconfigPath);

    /// <summary>
    /// Local plane: a client certificate signed by the plane's CA with CN=user and O=each group.
    /// An existing cluster needs impersonation headers, which a KubernetesClientConfiguration cannot carry:
    /// use <see cref="ClientFor"/> or <see cref="WriteKubeconfigFor"/> there (this throws NotSupportedException).
    /// </summary>
    public KubernetesClientConfiguration ConfigFor(string user, params string[] groups)
    {
        ArgumentException.ThrowIfNullOrEmpty(user);
        return _local?.ConfigFor(user, groups)
            ?? throw new NotSupportedException(
                "ConfigFor cannot express impersonation for an existing cluster; use ClientFor(user, groups) or WriteKubeconfigFor(user, groups).");
    }

    /// <summary>A client acting as user/groups: client certificate locally, impersonation on an existing cluster.</summary>
    public IKubernetes ClientFor(string user, params string[] groups)
    {
        ArgumentException.ThrowIfNullOrEmpty(user);
        return _local is not null
            ? new Kubernetes(_local.ConfigFor(user, groups))
            : new Kubernetes(AdminConfig(), new ImpersonationHandler(user, groups));
    }

    public IKubernetes AdminClient() => new Kubernetes(AdminConfig());

    /// <summary>A kubeconfig file acting as user/groups, for `kubectl --kubeconfig`.</summary>
    public string WriteKubeconfigFor(string user, params string[] groups)
    {
        ArgumentException.ThrowIfNullOrEmpty(user);
        if (_local is not null)
        {
            return _local.WriteKubeconfigFor(user, groups);
        }

        var path = Path.Combine(ScratchDirectory(), $"{Guid.NewGuid():N}.kubeconfig");
        KubeconfigWriter.WriteImpersonating(path, KubeconfigPath, user, groups);
        return path;
    }

    /// <summary>Stops everything (SIGTERM, SIGKILL after 5 s) and deletes the work directory.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_local is not null)
        {
            await _local.StopAsync().ConfigureAwait(false);
        }

        lock (_scratchGate)
        {
            if (_scratchDirectory is not null && Directory.Exists(_scratchDirectory))
            {
                Directory.Delete(_scratchDirectory, recursive: true);
            }
        }
    }

    private static async Task<ControlPlane> ConnectToExistingAsync(TimeSpan timeout, CancellationToken ct)
    {
        var kubeconfig = ExistingClusterKubeconfig.Locate();
        var config = KubernetesClientConfiguration.BuildConfigFromConfigFile(kubeconfig);
        // Fail here, with the server named, rather than in the first test.
        using var client = new Kubernetes(config);
        using var timeoutCts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeoutCts.CancelAfter(timeout);
        try
        {
            await client.Version.GetCodeAsync(timeoutCts.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            throw new InvalidOperationException($"USE_EXISTING_CLUSTER: cannot reach {config.Host} using {kubeconfig}: {e.Message}", e);
        }

        return new ControlPlane(kubeconfig, config.Host);
    }

    private string ScratchDirectory()
    {
        lock (_scratchGate)
        {
            return _scratchDirectory ??= Directory.CreateTempSubdirectory("isolation-existing-").FullName;
        }
    }
}
