using IsolationOperator.Api.V1Alpha1;
using IsolationOperator.Hosting;
using IsolationOperator.LocalCluster;
using IsolationOperator.Tests.Integration.Chart;
using IsolationOperator.Tests.Integration.Infrastructure;
using k8s;
using k8s.Models;

namespace IsolationOperator.Tests.Integration.Guard;

/// <summary>
/// A plane of its own with the chart installed (webhooks on, pointed at this process by URL), and the operator
/// running in the test process with nothing but a token the test mints for the chart's ServiceAccount: RBAC, the
/// operator guard and Pod Security all as a real installation has them. Its own plane because the guard and the
/// workload webhooks judge every namespace.
/// </summary>
public sealed class TokenOperator : IAsyncLifetime
{
    private readonly CancellationTokenSource _stop = new();
    private Task? _run;

    public ControlPlane Plane { get; private set; } = null!;
    public IKubernetes Admin => Plane.AdminClient();
    public const string Release = "guard";
    public const string Namespace = "guard-system";
    public string RunId { get; } = UniqueName.For("guard-run");
    public int Port { get; } = OperatorProcess.FreePort();
    public RenderedChart Manifest { get; private set; } = RenderedChart.Parse("");
    public string UserName { get; private set; } = "";
    public OperatorOptions Options { get; private set; } = new();

    /// <summary>A client holding only the chart ServiceAccount's token, as the operator's pod would.</summary>
    public IKubernetes OperatorToken { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Plane = await ControlPlane.StartAsync(new ControlPlaneOptions());
        await Crd.InstallAsync(Plane);
        var install = await Helm.RunAsync("install", Release, Helm.ChartPath, "--namespace", Namespace, "--create-namespace",
            "--set", $"webhook.url=https://127.0.0.1:{Port}/", "--set", "rbac.tenantRoles.create=false", "--kubeconfig", Plane.KubeconfigPath);
        install.ExitCode.Should().Be(0, install.ToString());
        var manifest = await Helm.RunAsync("get", "manifest", Release, "--namespace", Namespace, "--kubeconfig", Plane.KubeconfigPath);
        Manifest = RenderedChart.Parse(manifest.Stdout);
        var sa = Manifest.ServiceAccountName;
        UserName = $"system:serviceaccount:{Namespace}:{sa}";

        var token = await Admin.CoreV1.CreateNamespacedServiceAccountTokenAsync(
            new Authenticationv1TokenRequest { Spec = new V1TokenRequestSpec { Audiences = [], ExpirationSeconds = 3600 } }, sa, Namespace);
        var admin = Plane.AdminConfig();
        OperatorToken = new Kubernetes(new KubernetesClientConfiguration
        {
            Host = Plane.ServerUrl, AccessToken = token.Status.Token, SslCaCerts = admin.SslCaCerts, SkipTlsVerify = admin.SkipTlsVerify,
        });

        // As the chart configures its pod, but serving the webhooks here (the chart points them at this port).
        Options = ChartEnvironment.Options(Manifest);
        Options.Webhook.Port = Port;
        Options.Webhook.Host = "127.0.0.1";
        Options.Webhook.SelfRegister = false;
        // What a test needs: its own tenants, its own name.
        Options.TenantSelector = $"{OperatorUnderTest.RunLabel}={RunId}";
        Options.Identity = $"guard-operator-{RunId}";
        var runtime = new OperatorRuntime(OperatorToken, Options, TimeProvider.System, OperatorUnderTest.Logs);
        _run = Task.Run(() => runtime.RunAsync(_stop.Token));
        await Eventually.HoldsAsync("the operator leads, its caches are synced and the API server trusts its webhooks", async () =>
            runtime.IsLeader && runtime.Ready &&
            (await Admin.AdmissionregistrationV1.ReadValidatingWebhookConfigurationAsync(Options.Webhook.ConfigurationName)).Webhooks.All(w => w.ClientConfig.CaBundle is { Length: > 0 }),
            TimeSpan.FromSeconds(90));
    }

    public DemoTenant Own(DemoTenant tenant)
    {
        tenant.Metadata.Labels ??= new Dictionary<string, string>();
        tenant.Metadata.Labels[OperatorUnderTest.RunLabel] = RunId;
        return tenant;
    }

    public async Task StopOperatorAsync()
    {
        if (!_stop.IsCancellationRequested) await _stop.CancelAsync();
        if (_run is not null) await _run.WaitAsync(TimeSpan.FromSeconds(20)).ContinueWith(_ => { }, TaskScheduler.Default);
    }

    public async Task DisposeAsync()
    {
        await StopOperatorAsync();
        _stop.Dispose();
        if (Plane is not null) await Plane.DisposeAsync();
    }
}
