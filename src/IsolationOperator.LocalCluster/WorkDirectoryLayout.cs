namespace IsolationOperator.LocalCluster;

/// <summary>Where each file of a local plane lives, so start, stop and the watchdog agree.</summary>
internal sealed class WorkDirectoryLayout
{
    public WorkDirectoryLayout(string root) => Root = Path.GetFullPath(root);

    public string Root { get; }

    public string Pki => Path.Combine(Root, "pki");

    public string CaCert => Path.Combine(Pki, "ca.crt");

    public string CaKey => Path.Combine(Pki, "ca.key");

    public string ServingCert => Path.Combine(Pki, "apiserver.crt");

    public string ServingKey => Path.Combine(Pki, "apiserver.key");

    public string ServiceAccountKey => Path.Combine(Pki, "sa.key");

    public string ServiceAccountPublicKey => Path.Combine(Pki, "sa.pub");

    public string EtcdData => Path.Combine(Root, "etcd-data");

    public string Logs => Path.Combine(Root, "logs");

    public string Users => Path.Combine(Root, "users");

    public string AuditPolicy => Path.Combine(Root, "audit-policy.yaml");

    public string AuditLog => Path.Combine(Root, "audit.log");

    public string AdminKubeconfig => Path.Combine(Root, "admin.kubeconfig");

    public string ControllerManagerKubeconfig => Path.Combine(Root, "kube-controller-manager.kubeconfig");

    public string PidFile => Path.Combine(Root, "pids");

    /// <summary>Everything the plane creates: removed on dispose when the directory itself was not ours.</summary>
    public IEnumerable<string> OwnedEntries =>
    [
        Pki, EtcdData, Logs, Users, AuditPolicy, AuditLog, AdminKubeconfig, ControllerManagerKubeconfig, PidFile,
    ];

    public void RemoveOwnedEntries()
    {
        foreach (var entry in OwnedEntries)
        {
            if (Directory.Exists(entry))
            {
                Directory.Delete(entry, recursive: true);
            }
            else if (File.Exists(entry))
            {
                File.Delete(entry);
            }
        }
    }
}
