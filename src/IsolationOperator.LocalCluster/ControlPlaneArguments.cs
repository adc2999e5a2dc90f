namespace IsolationOperator.LocalCluster;

/// <summary>Command lines for etcd 3.4, kube-apiserver 1.20 and kube-controller-manager 1.20.</summary>
internal static class ControlPlaneArguments
{
    public const string ServiceAccountIssuer = "https://kubernetes.default.svc";

    // Level Metadata for everything: tests look up who did what, never bodies.
    public const string AuditPolicy = """
        apiVersion: audit.k8s.io/v1
        kind: Policy
        omitStages: ["RequestReceived"]
        rules:
        - level: Metadata

        """;

    public static IEnumerable<string> Etcd(WorkDirectoryLayout dir, int clientPort, int peerPort)
    {
        // Explicit client AND peer ports: the defaults (2379/2380) would collide between parallel planes.
        // etcd 3.4 has no --unsafe-no-fsync; a throwaway data dir is all we can do.
        var client = $"http://127.0.0.1:{clientPort}";
        var peer = $"http://127.0.0.1:{peerPort}";
        return
        [
            "--name=default",
            $"--data-dir={dir.EtcdData}",
            $"--listen-client-urls={client}",
            $"--advertise-client-urls={client}",
            $"--listen-peer-urls={peer}",
            $"--initial-advertise-peer-urls={peer}",
            $"--initial-cluster=default={peer}",
            "--initial-cluster-state=new",
            "--logger=zap",
            "--log-outputs=stderr",
            "--quota-backend-bytes=2147483648",
        ];
    }

    public static IEnumerable<string> ApiServer(WorkDirectoryLayout dir, int securePort, int etcdClientPort) =>
    [
        $"--etcd-servers=http://127.0.0.1:{etcdClientPort}",
        "--bind-address=127.0.0.1",
        "--advertise-address=127.0.0.1",
        $"--secure-port={securePort}",
        "--insecure-port=0",
        $"--cert-dir={dir.Pki}",
        $"--tls-cert-file={dir.ServingCert}",
        $"--tls-private-key-file={dir.ServingKey}",
        $"--client-ca-file={dir.CaCert}",
        "--authorization-mode=RBAC",
        $"--service-account-key-file={dir.ServiceAccountPublicKey}",
        $"--service-account-signing-key-file={dir.ServiceAccountKey}",
        $"--service-account-issuer={ServiceAccountIssuer}",
        $"--api-audiences={ServiceAccountIssuer}",
        "--service-cluster-ip-range=10.0.0.0/24",
        "--allow-privileged=true",
        $"--audit-policy-file={dir.AuditPolicy}",
        $"--audit-log-path={dir.AuditLog}",
        "--audit-log-format=json",
        // Blocking: each event is written before the response goes out, so tests can read it right away.
        "--audit-log-mode=blocking",
        "--profiling=false",
    ];

    public static IEnumerable<string> ControllerManager(WorkDirectoryLayout dir) =>
    [
        $"--kubeconfig={dir.ControllerManagerKubeconfig}",
        $"--service-account-private-key-file={dir.ServiceAccountKey}",
        $"--root-ca-file={dir.CaCert}",
        // Lets the CSR signer work too, and costs nothing.
        $"--cluster-signing-cert-file={dir.CaCert}",
        $"--cluster-signing-key-file={dir.CaKey}",
        // One identity (ours, system:masters) for all controllers: no per-controller RBAC bootstrapping wait.
        "--use-service-account-credentials=false",
        "--leader-elect=false",
        "--port=0",
        "--secure-port=0",
        "--controllers=*",
        // The default client limit (20 QPS) makes token secrets and namespace cleanup lag by tens of seconds once
        // tests create a few hundred namespaces; a local plane has no one to protect from us.
        "--kube-api-qps=500",
        "--kube-api-burst=1000",
        "--profiling=false",
    ];
}
