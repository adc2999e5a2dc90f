using IsolationOperator.Admission;
using IsolationOperator.Hosting;
using IsolationOperator.LocalCluster;
using k8s;
using k8s.Autorest;

namespace IsolationOperator.Tests.Integration.Infrastructure;

/// <summary>
/// Operators with their admission webhooks on. Each test gets its own port, configuration names and certificate
/// Secret, and its configurations select only its own tenants (the operator's TenantSelector), so webhook tests
/// never affect the other test classes running operators on the shared plane (which all keep webhooks off).
/// </summary>
public sealed record WebhookSetup(int Port, string ConfigurationName, string SecretName)
{
    /// <summary>Where the operator keeps its certificate Secret (its EffectiveLeaseNamespace: "default" in tests).</summary>
    public static string Namespace => new OperatorOptions().EffectiveLeaseNamespace;

    public static WebhookSetup Unique() =>
        new(OperatorProcess.FreePort(), UniqueName.For("webhook-test"), UniqueName.For("webhook-tls"));

    public Action<OperatorOptions> Configure(Action<WebhookOptions>? more = null) => o =>
    {
        o.Webhook.Enabled = true;
        o.Webhook.Port = Port;
        o.Webhook.Host = "127.0.0.1";
        o.Webhook.SelfRegister = true;
        o.Webhook.ConfigurationName = ConfigurationName;
        o.Webhook.SecretName = SecretName;
        // The workload webhooks judge every managed namespace: on the shared plane they would judge (and, once this
        // operator stops, refuse) other classes' tenants. Classes with a plane of their own turn them on.
        o.Webhook.WorkloadPolicies = false;
        more?.Invoke(o.Webhook);
    };

    /// <summary>Starts an operator and waits until the API server's calls reach its webhooks.</summary>
    public async Task<OperatorUnderTest> StartAsync(ControlPlane plane, string runId, Action<WebhookOptions>? more = null, Action<OperatorOptions>? options = null)
    {
        var configure = Configure(more);
        var op = await OperatorUnderTest.StartAsync(plane, runId, o => { configure(o); options?.Invoke(o); });
        await WaitRegisteredAsync(plane.AdminClient());
        // A restart finds the configurations already registered: wait until this operator itself listens.
        await Eventually.HoldsAsync($"webhook listening on port {Port}", async () =>
        {
            using var tcp = new System.Net.Sockets.TcpClient();
            try { await tcp.ConnectAsync(System.Net.IPAddress.Loopback, Port); return true; }
            catch (System.Net.Sockets.SocketException) { return false; }
        }, TimeSpan.FromSeconds(30));
        return op;
    }

    public Task WaitRegisteredAsync(IKubernetes admin) =>
        Eventually.HoldsAsync($"webhook configurations {ConfigurationName} registered", async () =>
        {
            var v = await admin.AdmissionregistrationV1.ReadValidatingWebhookConfigurationAsync(ConfigurationName);
            var m = await admin.AdmissionregistrationV1.ReadMutatingWebhookConfigurationAsync(ConfigurationName);
            return v.Webhooks?.All(w => w.ClientConfig.CaBundle is { Length: > 0 }) == true && m.Webhooks?.Count > 0;
        }, TimeSpan.FromSeconds(60));

    /// <summary>Removes what the operator left on purpose (fail closed): its configurations and its certificate.</summary>
    public async Task CleanupAsync(IKubernetes admin)
    {
        await Ignore404(() => admin.AdmissionregistrationV1.DeleteValidatingWebhookConfigurationAsync(ConfigurationName));
        await Ignore404(() => admin.AdmissionregistrationV1.DeleteMutatingWebhookConfigurationAsync(ConfigurationName));
        await Ignore404(() => admin.CoreV1.DeleteNamespacedSecretAsync(SecretName, Namespace));
    }

    private static async Task Ignore404(Func<Task> call)
    {
        try { await call(); }
        catch (HttpOperationException e) when (e.Response.StatusCode == System.Net.HttpStatusCode.NotFound) { }
    }
}
