using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using k8s;

namespace IsolationOperator.LocalCluster;

/// <summary>etcd + kube-apiserver (+ kube-controller-manager) running from a work directory.</summary>
internal sealed class LocalPlane
{
    private static readonly string[] ServingDnsNames =
        ["localhost", "kubernetes", "kubernetes.default", "kubernetes.default.svc", "kubernetes.default.svc.cluster.local"];

    private static readonly IPAddress[] ServingIps = [IPAddress.Loopback, IPAddress.IPv6Loopback, IPAddress.Parse("10.0.0.1")];

    private readonly ConcurrentDictionary<string, IssuedCertificate> _userCertificates = new();
    private readonly Lock _stopGate = new();
    private readonly bool _ownsWorkDirectory;
    private readonly ProcessSupervisor _supervisor;
    private readonly Watchdog _watchdog;
    private Task? _stopping;
    private string _assets = "";
    private int _etcdClientPort;

    /// <summary>etcd's client URL (plain HTTP on loopback): for fault tests that compact its history.</summary>
    public string EtcdClientUrl => $"http://127.0.0.1:{_etcdClientPort}";

    /// <summary>
    /// Stops the kube-apiserver with <paramref name="signal"/> (SIGKILL, or SIGTERM for a graceful stop), keeps it down
    /// for <paramref name="downtime"/>, and starts it again on the same port with the same state: a fault test's
    /// API server restart. etcd and kube-controller-manager keep running.
    /// </summary>
    public async Task RestartApiServerAsync(int signal, TimeSpan downtime, CancellationToken ct)
    {
        var old = _supervisor.Processes.Last(p => p.Name == "kube-apiserver" && !p.HasExited);
        old.Signal(signal);
        using (var grace = new CancellationTokenSource(ProcessSupervisor.GracePeriod * 6))
        {
            try { await old.WaitForExitAsync(grace.Token).ConfigureAwait(false); }
            catch (OperationCanceledException) { old.Signal(Posix.SigKill); await old.WaitForExitAsync(ct).ConfigureAwait(false); }
        }
        _supervisor.Forget(old);
        await Task.Delay(downtime, ct).ConfigureAwait(false);
        _supervisor.Start("kube-apiserver", Path.Combine(_assets, "kube-apiserver"),
            ControlPlaneArguments.ApiServer(Layout, new Uri(ServerUrl).Port, _etcdClientPort));
        using var adminWithKey = Admin.WithPrivateKey();
        await new Readiness(_supervisor, TimeSpan.FromSeconds(60)).WaitForApiServerAsync(ServerUrl, Ca.Root.Certificate, adminWithKey, ct).ConfigureAwait(false);
    }
    private bool _cleanedUp;

    private LocalPlane(
        WorkDirectoryLayout layout, bool ownsWorkDirectory, CertificateAuthority ca, IssuedCertificate admin, string serverUrl,
        ProcessSupervisor supervisor, Watchdog watchdog)
    {
        Layout = layout;
        _ownsWorkDirectory = ownsWorkDirectory;
        Ca = ca;
        Admin = admin;
        ServerUrl = serverUrl;
        _supervisor = supervisor;
        _watchdog = watchdog;
    }

    public WorkDirectoryLayout Layout { get; }

    public CertificateAuthority Ca { get; }

    public IssuedCertificate Admin { get; }

    public string ServerUrl { get; }

    public IReadOnlyList<int> ProcessIds => [.. _supervisor.Processes.Select(p => p.Id)];

    public static async Task<LocalPlane> StartAsync(ControlPlaneOptions options, string assets, CancellationToken ct)
    {
        var (layout, owns) = PrepareWorkDirectory(options.WorkDirectory);
        LocalPlane plane;
        try
        {
            plane = Prepare(layout, owns);
        }
        catch
        {
            // Nothing runs yet; just do not leave keys behind.
            if (owns)
            {
                Directory.Delete(layout.Root, recursive: true);
            }
            else
            {
                layout.RemoveOwnedEntries();
            }

            throw;
        }

        var (ca, admin, serverUrl, supervisor) = (plane.Ca, plane.Admin, plane.ServerUrl, plane._supervisor);
        var (etcdClient, etcdPeer, apiPort) = (FreePort.Next(), FreePort.Next(), new Uri(serverUrl).Port);
        (plane._assets, plane._etcdClientPort) = (assets, etcdClient);
        try
        {
            var readiness = new Readiness(supervisor, options.StartTimeout);
            supervisor.Start("etcd", Path.Combine(assets, "etcd"), ControlPlaneArguments.Etcd(layout, etcdClient, etcdPeer));
            // No need to wait for etcd: the apiserver retries its storage connection while etcd elects itself.
            supervisor.Start("kube-apiserver", Path.Combine(assets, "kube-apiserver"), ControlPlaneArguments.ApiServer(layout, apiPort, etcdClient));
            using (var adminWithKey = admin.WithPrivateKey())
            {
                await readiness.WaitForApiServerAsync(serverUrl, ca.Root.Certificate, adminWithKey, ct).ConfigureAwait(false);
            }

            using var client = new Kubernetes(plane.AdminConfig());
            await readiness.WaitForDefaultNamespaceAsync(client, ct).ConfigureAwait(false);

            var kcm = Path.Combine(assets, "kube-controller-manager");
            if (options.StartControllerManager && File.Exists(kcm))
            {
                // Only now, not alongside the apiserver: KCM polls /healthz once a second before starting any
                // controller (starting it early costs ~1 s instead of saving it), and it exits if the apiserver
                // is not healthy within 10 s, which a loaded machine could miss.
                var identity = ca.IssueClient("system:kube-controller-manager", "system:masters");
                KubeconfigWriter.WriteClientCertificate(
                    layout.ControllerManagerKubeconfig, serverUrl, ca.Root.CertificatePem, identity, "system:kube-controller-manager");
                supervisor.Start("kube-controller-manager", kcm, ControlPlaneArguments.ControllerManager(layout));
                await readiness.WaitForControllerManagerAsync(client, ct).ConfigureAwait(false);
            }

            return plane;
        }
        catch
        {
            await plane.StopAsync().ConfigureAwait(false);
            throw;
        }
    }

    public KubernetesClientConfiguration AdminConfig() => ConfigFor(Admin);

    /// <summary>Certificates, keys, audit policy, admin kubeconfig and the watchdog: everything but the processes.</summary>
    private static LocalPlane Prepare(WorkDirectoryLayout layout, bool owns)
    {
        var ca = CertificateAuthority.Create();
        ca.Root.WriteTo(layout.CaCert, layout.CaKey);
        ca.IssueServer("kube-apiserver", ServingDnsNames, ServingIps).WriteTo(layout.ServingCert, layout.ServingKey);
        var admin = ca.IssueClient("admin", "system:masters");
        ServiceAccountKeys.Write(layout.ServiceAccountKey, layout.ServiceAccountPublicKey);
        File.WriteAllText(layout.AuditPolicy, ControlPlaneArguments.AuditPolicy);
        var serverUrl = $"https://127.0.0.1:{FreePort.Next()}";
        KubeconfigWriter.WriteClientCertificate(layout.AdminKubeconfig, serverUrl, ca.Root.CertificatePem, admin, "admin");
        File.WriteAllText(layout.PidFile, "");

        // Watchdog before the first child: from then on, a SIGKILL of this process must not leave orphans.
        var watchdog = Watchdog.Start(layout.PidFile, marker: layout.Root, directoryToRemove: owns ? layout.Root : null);
        var plane = new LocalPlane(layout, owns, ca, admin, serverUrl, new ProcessSupervisor(layout.Logs, layout.PidFile), watchdog);
        LivePlanes.Add(plane);
        return plane;
    }

    public KubernetesClientConfiguration ConfigFor(string user, string[] groups) => ConfigFor(UserCertificate(user, groups));

    public string WriteKubeconfigFor(string user, string[] groups)
    {
        Directory.CreateDirectory(Layout.Users);
        var path = Path.Combine(Layout.Users, $"{FileSafe(user)}-{Hash(CacheKey(user, groups))}.kubeconfig");
        KubeconfigWriter.WriteClientCertificate(path, ServerUrl, Ca.Root.CertificatePem, UserCertificate(user, groups), user);
        return path;
    }

    public Task StopAsync()
    {
        lock (_stopGate)
        {
            return _stopping ??= StopCoreAsync();
        }
    }

    /// <summary>Synchronous stop for ProcessExit; safe to run alongside or after StopAsync.</summary>
    public void StopNow()
    {
        _supervisor.StopAllNow();
        CleanUp();
    }

    private static (WorkDirectoryLayout Layout, bool Owns) PrepareWorkDirectory(string? configured)
    {
        bool owns;
        string root;
        if (string.IsNullOrEmpty(configured))
        {
            // No "etcd"/"kube" in the name: the path appears in every child's command line.
            root = Directory.CreateTempSubdirectory("isolation-plane-").FullName;
            owns = true;
        }
        else
        {
            root = Path.GetFullPath(configured);
            owns = !Directory.Exists(root);
            Directory.CreateDirectory(root);
        }

        var layout = new WorkDirectoryLayout(root);
        // A reused directory may hold a previous run's etcd data, which would not match the new ports.
        layout.RemoveOwnedEntries();
        Directory.CreateDirectory(layout.Pki);
        Directory.CreateDirectory(layout.Logs);
        Directory.CreateDirectory(layout.EtcdData);
        PrivateFile.Restrict(layout.EtcdData);
        return (layout, owns);
    }

    private static string CacheKey(string user, string[] groups) => $"{user}\n{string.Join('\n', groups)}";

    private static string Hash(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..10];

    private static string FileSafe(string text) =>
        new([.. text.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '_').Take(60)]);

    private static string Base64(string pem) => Convert.ToBase64String(Encoding.UTF8.GetBytes(pem));

    private IssuedCertificate UserCertificate(string user, string[] groups) =>
        _userCertificates.GetOrAdd(CacheKey(user, groups), _ => Ca.IssueClient(user, groups));

    private KubernetesClientConfiguration ConfigFor(IssuedCertificate client) =>
        new()
        {
            Host = ServerUrl,
            SslCaCerts = [X509CertificateLoader.LoadCertificate(Ca.Root.Certificate.RawData)],
            ClientCertificateData = Base64(client.CertificatePem),
            ClientCertificateKeyData = Base64(client.KeyPem),
        };

    private async Task StopCoreAsync()
    {
        await _supervisor.StopAllAsync().ConfigureAwait(false);
        CleanUp();
    }

    private void CleanUp()
    {
        lock (_stopGate)
        {
            if (_cleanedUp)
            {
                return;
            }

            _cleanedUp = true;
        }

        _watchdog.Stop();
        LivePlanes.Remove(this);
        try
        {
            if (_ownsWorkDirectory)
            {
                Directory.Delete(Layout.Root, recursive: true);
            }
            else
            {
                Layout.RemoveOwnedEntries();
            }
        }
        catch (IOException)
        {
            // Best effort: a file still held open must not turn a clean shutdown into a failure.
        }
        catch (UnauthorizedAccessException)
        {
        }

        Ca.Dispose();
    }
}
