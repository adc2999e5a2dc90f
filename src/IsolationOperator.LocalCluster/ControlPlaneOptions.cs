namespace IsolationOperator.LocalCluster;

/// <summary>How to start (or find) the control plane. Every property has a sensible default.</summary>
public sealed record ControlPlaneOptions
{
    /// <summary>
    /// Folder holding etcd, kube-apiserver and (optionally) kube-controller-manager.
    /// Default: env KUBEBUILDER_ASSETS, else the folder printed by hack/provision-control-plane.sh.
    /// </summary>
    public string? AssetsDirectory { get; init; }

    /// <summary>
    /// Holds certificates, etcd data, kubeconfigs, process logs and the audit log.
    /// Default: a new temp directory. A directory that did not exist before is deleted entirely on dispose;
    /// an existing one only loses the entries the plane created.
    /// </summary>
    public string? WorkDirectory { get; init; }

    /// <summary>Use the current kubeconfig instead of starting anything. Default: env USE_EXISTING_CLUSTER == "true".</summary>
    public bool? UseExistingCluster { get; init; }

    /// <summary>How long the plane may take to become ready (including the controller manager's first token secret).</summary>
    public TimeSpan StartTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Start kube-controller-manager when its binary exists (namespace finalization, quota status, SA tokens).</summary>
    public bool StartControllerManager { get; init; } = true;
}
