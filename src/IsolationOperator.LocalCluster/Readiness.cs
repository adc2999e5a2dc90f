using System.Net;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace IsolationOperator.LocalCluster;

/// <summary>
/// Decides when a freshly started plane is usable: apiserver /readyz, the `default` namespace, and (with the
/// controller manager) a token secret for a new namespace's `default` ServiceAccount. Fails fast with the
/// dead process's log if any child exits meanwhile.
/// </summary>
internal sealed class Readiness
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(100);
    private readonly ProcessSupervisor _supervisor;
    private readonly TimeSpan _timeout;
    private readonly DateTime _deadline;
    private string _lastObservation = "nothing observed yet";

    public Readiness(ProcessSupervisor supervisor, TimeSpan timeout)
    {
        _supervisor = supervisor;
        _timeout = timeout;
        _deadline = DateTime.UtcNow + timeout;
    }

    public async Task WaitForApiServerAsync(string serverUrl, X509Certificate2 caCertificate, X509Certificate2 adminWithKey, CancellationToken ct)
    {
        using var handler = new SocketsHttpHandler();
        handler.SslOptions.ClientCertificates = [adminWithKey];
        handler.SslOptions.RemoteCertificateValidationCallback = (_, cert, _, _) => ChainsTo(cert, caCertificate);
        using var http = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(5) };
        await PollAsync("kube-apiserver /readyz", async () =>
        {
            using var response = await http.GetAsync(new Uri($"{serverUrl}/readyz"), ct).ConfigureAwait(false);
            _lastObservation = $"/readyz {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false)}";
            return response.StatusCode == HttpStatusCode.OK;
        }, ct).ConfigureAwait(false);
    }

    public async Task WaitForDefaultNamespaceAsync(IKubernetes admin, CancellationToken ct) =>
        await PollAsync("namespace default", async () =>
        {
            var ns = await admin.CoreV1.ReadNamespaceAsync("default", cancellationToken: ct).ConfigureAwait(false);
            return ns.Status?.Phase == "Active";
        }, ct).ConfigureAwait(false);

    /// <summary>Token secrets are created by KCM's serviceaccount + tokens controllers: proof that KCM works.</summary>
    public async Task WaitForControllerManagerAsync(IKubernetes admin, CancellationToken ct)
    {
        var probe = $"isolation-probe-{Guid.NewGuid().ToString("N")[..8]}";
        await admin.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = probe } }, cancellationToken: ct)
            .ConfigureAwait(false);
        try
        {
            await PollAsync($"a token secret for ServiceAccount {probe}/default", async () =>
            {
                var secrets = await admin.CoreV1.ListNamespacedSecretAsync(probe, cancellationToken: ct).ConfigureAwait(false);
                return secrets.Items.Any(s => s.Type == "kubernetes.io/service-account-token" && s.Data?.ContainsKey("token") == true);
            }, ct).ConfigureAwait(false);
        }
        finally
        {
            // Finalization is not awaited: the namespace controller finishes it in the background.
            try
            {
                await admin.CoreV1.DeleteNamespaceAsync(probe, cancellationToken: CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception e) when (e is HttpRequestException or HttpOperationException)
            {
                // Must not mask the reason the probe failed; a dead plane is torn down anyway.
            }
        }
    }

    private static bool ChainsTo(X509Certificate? presented, X509Certificate2 ca)
    {
        if (presented is null)
        {
            return false;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        using var leaf = X509CertificateLoader.LoadCertificate(presented.GetRawCertData());
        return chain.Build(leaf);
    }

    private async Task PollAsync(string what, Func<Task<bool>> condition, CancellationToken ct)
    {
        while (true)
        {
            ct.ThrowIfCancellationRequested();
            ThrowIfAProcessDied(what);
            try
            {
                if (await condition().ConfigureAwait(false))
                {
                    return;
                }
            }
            catch (Exception e) when (e is HttpRequestException or HttpOperationException or TaskCanceledException && !ct.IsCancellationRequested)
            {
                // Expected while the apiserver is still coming up (connection refused, 403 before RBAC bootstrap, 404).
                _lastObservation = e.Message;
            }

            if (DateTime.UtcNow >= _deadline)
            {
                ThrowIfAProcessDied(what);
                throw new ControlPlaneStartException(
                    $"control plane not ready after {_timeout.TotalSeconds:0} s: still waiting for {what}; last observation: {_lastObservation}\n"
                    + string.Join("\n\n", _supervisor.Processes.Select(p => p.Describe())));
            }

            await Task.Delay(PollInterval, ct).ConfigureAwait(false);
        }
    }

    private void ThrowIfAProcessDied(string waitingFor)
    {
        if (_supervisor.FirstExited() is { } dead)
        {
            var tail = dead.StderrTail();
            throw new ControlPlaneStartException($"{dead.Name} exited while waiting for {waitingFor}: {dead.Describe()}")
            {
                IsPortConflict = tail.Contains("address already in use", StringComparison.OrdinalIgnoreCase),
            };
        }
    }
}
