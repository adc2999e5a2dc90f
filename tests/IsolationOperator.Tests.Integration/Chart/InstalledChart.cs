using IsolationOperator.Api.V1Alpha1;
using IsolationOperator.Hosting;
using IsolationOperator.LocalCluster;
using IsolationOperator.Tests.Integration.Infrastructure;
using k8s;
using k8s.Autorest;

namespace IsolationOperator.Tests.Integration.Chart;

/// <summary>
/// The chart installed by <c>helm install</c> (default values, a new release namespace) into the shared control
/// plane, and the operator running in the test process as the chart's ServiceAccount, with only the permissions the
/// chart binds to it. There is no kubelet, so the chart's own pods never run: this stands in for them, configured
/// from the installed Deployment's environment.
/// </summary>
public sealed class InstalledChart : IAsyncLifetime
{
    private readonly CancellationTokenSource _stop = new();
    private Task? _run;

    public ControlPlane Plane { get; private set; } = null!;
    public IKubernetes Admin => Plane.AdminClient();
    public string Release { get; } = UniqueName.For("chart");
    public string Namespace { get; } = UniqueName.For("chart-system");
    public string RunId { get; } = UniqueName.For("chart-run");

    /// <summary>The <c>helm install</c> result; the operator only runs when it succeeded.</summary>
    public CommandResult Install { get; private set; } = new(-1, "", "not run");

    /// <summary>What the release installed (<c>helm get manifest</c>).</summary>
    public RenderedChart Manifest { get; private set; } = RenderedChart.Parse("");

    /// <summary>The operator's ServiceAccount, as the installed Deployment names it.</summary>
    public string ServiceAccount { get; private set; } = "(not installed)";

    public string UserName => $"system:serviceaccount:{Namespace}:{ServiceAccount}";
    public OperatorOptions Options { get; private set; } = new();
    public OperatorRuntime? Runtime { get; private set; }
    public DateTimeOffset StartedAt { get; private set; }

    /// <summary>Why the operator is not leading with synced caches, if it is not.</summary>
    public string? NotRunning { get; private set; } = "not started";

    public async Task InitializeAsync()
    {
        Plane = await SharedControlPlane.GetAsync();
        // Helm installs crds/ only when the CRD is absent; other test classes apply it too. Apply it first so
        // the two never race, and helm takes the "already exists, skipped" path.
        await Crd.InstallAsync(Plane);
        StartedAt = DateTimeOffset.UtcNow.AddSeconds(-1);
        // Webhooks off: the chart's configurations (no objectSelector) would send every DemoTenant on the shared plane
        // to a Service no pod backs, and fail closed for all the other test classes.
        // rbac.tenantRoles.create=false: the tenant ClusterRoles are already on this plane (Crd.InstallAsync applies the
        // chart's files/tenant-clusterroles.yaml), as a second release on a real cluster would find them.
        Install = await Helm.RunAsync("install", Release, Helm.ChartPath, "--namespace", Namespace, "--create-namespace", "--set", "webhook.enabled=false",
            "--set", "rbac.tenantRoles.create=false",
            "--kubeconfig", Plane.KubeconfigPath);
        if (Install.ExitCode != 0)
        {
            NotRunning = "helm install failed";
            return;
        }

        var manifest = await Helm.RunAsync("get", "manifest", Release, "--namespace", Namespace, "--kubeconfig", Plane.KubeconfigPath);
        if (manifest.ExitCode != 0)
        {
            NotRunning = $"helm get manifest failed: {manifest}";
            return;
        }

        Manifest = RenderedChart.Parse(manifest.Stdout);
        ServiceAccount = Manifest.ServiceAccountName;
        // As the chart configures its pods...
        Options = ChartEnvironment.Options(Manifest);
        // ...except what a test needs: seconds-long expiry warnings, its own tenants only, its own name. This shared
        // plane runs no webhook and 1.20 has no Pod Security admission, so nothing enforces Pod Security here; the
        // chart's requirePodSecurity is proven on a plane with the webhook (Guard/OperatorTokenTests).
        Options.ExpiringWindow = TimeSpan.FromSeconds(5);
        Options.TenantSelector = $"{OperatorUnderTest.RunLabel}={RunId}";
        Options.Identity = $"chart-operator-{RunId}";
        Options.RequirePodSecurity = false;

        var client = Plane.ClientFor(UserName, "system:serviceaccounts", $"system:serviceaccounts:{Namespace}", "system:authenticated");
        var runtime = new OperatorRuntime(client, Options, TimeProvider.System, OperatorUnderTest.Logs);
        Runtime = runtime;
        _run = Task.Run(() => runtime.RunAsync(_stop.Token));
        try
        {
            await Eventually.HoldsAsync("the operator leads and its caches are synced",
                () => Task.FromResult(runtime.IsLeader && runtime.Ready), TimeSpan.FromSeconds(30));
            NotRunning = null;
        }
        catch (TimeoutException e)
        {
            NotRunning = e.Message + (_run.IsFaulted ? $": {_run.Exception}" : "");
        }
    }

    /// <summary>Fails the calling test unless the chart is installed and the operator runs under its ServiceAccount.</summary>
    public void ShouldBeRunning()
    {
        Install.ExitCode.Should().Be(0, $"helm install should succeed: {Install}");
        NotRunning.Should().BeNull("the operator should run as {0} with the chart's permissions", UserName);
    }

    /// <summary>Labels a tenant so that this operator (and no other test's) handles it.</summary>
    public DemoTenant Own(DemoTenant tenant)
    {
        tenant.Metadata.Labels ??= new Dictionary<string, string>();
        tenant.Metadata.Labels[OperatorUnderTest.RunLabel] = RunId;
        return tenant;
    }

    /// <summary>Stops the operator (idempotent); its watches end, so the API server audits them.</summary>
    public async Task StopOperatorAsync()
    {
        if (!_stop.IsCancellationRequested) await _stop.CancelAsync();
        if (_run is not null) await _run.WaitAsync(TimeSpan.FromSeconds(20)).ContinueWith(_ => { }, TaskScheduler.Default);
    }

    public async Task DisposeAsync()
    {
        if (Plane is not null && Plane.IsExistingCluster && NotRunning is null && !_stop.IsCancellationRequested)
        {
            // A real cluster outlives the run: let the operator release its tenants' namespaces while it still can.
            await DeleteOwnTenantsAsync();
        }

        await StopOperatorAsync();
        _stop.Dispose();
        if (Plane is null || Install.ExitCode != 0) return;

        await Helm.RunAsync("uninstall", Release, "--namespace", Namespace, "--kubeconfig", Plane.KubeconfigPath);
        try
        {
            await Admin.CoreV1.DeleteNamespaceAsync(Namespace);
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
        }
    }

    private async Task DeleteOwnTenantsAsync()
    {
        var selector = $"{OperatorUnderTest.RunLabel}={RunId}";
        try
        {
            var list = await Admin.CustomObjects.ListClusterCustomObjectAsync(DemoTenant.Group, DemoTenant.Version, DemoTenant.Plural, labelSelector: selector);
            foreach (var t in KubernetesJson.Deserialize<DemoTenantList>(KubernetesJson.Serialize(list)).Items)
                await Tenants.DeleteAsync(Admin, t.Metadata.Name);
            await Eventually.HoldsAsync("this run's DemoTenants deleted", async () =>
            {
                var left = await Admin.CustomObjects.ListClusterCustomObjectAsync(DemoTenant.Group, DemoTenant.Version, DemoTenant.Plural, labelSelector: selector);
                return KubernetesJson.Deserialize<DemoTenantList>(KubernetesJson.Serialize(left)).Items.Count == 0;
            }, TimeSpan.FromSeconds(60));
        }
        catch (Exception e) when (e is TimeoutException or HttpOperationException)
        {
            // Best effort: whatever is left carries this run's label.
        }
    }
}
