using System.Text;
using IsolationOperator.Engine;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace IsolationOperator.Admission;

/// <summary>
/// Keeps the webhook configurations pointing at this operator with the CA it trusts. Self-registration (outside a
/// pod): creates or updates both configurations with a URL clientConfig. In a pod the chart owns them and the
/// operator only writes their caBundle (get + update by name; helm upgrade resets it, so every check looks again).
/// cert-manager mode: nothing (its CA injector writes caBundle). Never deleted on shutdown: a configuration that
/// outlives the operator refuses what it guards (fail closed), which is the point.
/// </summary>
public sealed class WebhookRegistrar(IKubernetes client, WebhookOptions options, string? tenantSelector, IReadOnlyCollection<IAdmissionReviewer> reviewers, ILogger log)
{
    private bool _warnedMissing;

    public async Task EnsureAsync(string? caBundlePem, CancellationToken ct)
    {
        if (options.UsesCertManager || caBundlePem is null) return;
        for (var attempt = 0; attempt < 5; attempt++)
        {
            try
            {
                if (options.EffectiveSelfRegister) await RegisterAsync(caBundlePem, ct);
                else await PatchCaBundleAsync(caBundlePem, ct);
                return;
            }
            catch (Exception e) when (ApiErrors.IsConflict(e) || ApiErrors.IsAlreadyExists(e))
            {
                // Another replica wrote at the same moment: read again.
            }
        }
    }

    private async Task RegisterAsync(string ca, CancellationToken ct)
    {
        var validating = WebhookRegistration.Validating(options.ConfigurationName, reviewers, options.BaseUrl, ca, tenantSelector);
        var mutating = WebhookRegistration.Mutating(options.ConfigurationName, reviewers, options.BaseUrl, ca, tenantSelector);
        var api = client.AdmissionregistrationV1;

        var liveV = await ReadOrNull(() => api.ReadValidatingWebhookConfigurationAsync(options.ConfigurationName, cancellationToken: ct));
        if (liveV is null)
        {
            await api.CreateValidatingWebhookConfigurationAsync(validating, fieldManager: OperatorIdentity.FieldManager, cancellationToken: ct);
            log.LogInformation("registered ValidatingWebhookConfiguration {Name} at {Url}", options.ConfigurationName, options.BaseUrl);
        }
        else if (Json(liveV.Webhooks) != Json(validating.Webhooks))
        {
            validating.Metadata.ResourceVersion = liveV.Metadata.ResourceVersion;
            await api.ReplaceValidatingWebhookConfigurationAsync(validating, options.ConfigurationName, fieldManager: OperatorIdentity.FieldManager, cancellationToken: ct);
            log.LogInformation("updated ValidatingWebhookConfiguration {Name}", options.ConfigurationName);
        }

        var liveM = await ReadOrNull(() => api.ReadMutatingWebhookConfigurationAsync(options.ConfigurationName, cancellationToken: ct));
        if (liveM is null)
        {
            await api.CreateMutatingWebhookConfigurationAsync(mutating, fieldManager: OperatorIdentity.FieldManager, cancellationToken: ct);
            log.LogInformation("registered MutatingWebhookConfiguration {Name} at {Url}", options.ConfigurationName, options.BaseUrl);
        }
        else if (Json(liveM.Webhooks) != Json(mutating.Webhooks))
        {
            mutating.Metadata.ResourceVersion = liveM.Metadata.ResourceVersion;
            await api.ReplaceMutatingWebhookConfigurationAsync(mutating, options.ConfigurationName, fieldManager: OperatorIdentity.FieldManager, cancellationToken: ct);
            log.LogInformation("updated MutatingWebhookConfiguration {Name}", options.ConfigurationName);
        }
    }

    private async Task PatchCaBundleAsync(string ca, CancellationToken ct)
    {
        var bundle = Encoding.UTF8.GetBytes(ca);
        var api = client.AdmissionregistrationV1;
        var v = await ReadOrNull(() => api.ReadValidatingWebhookConfigurationAsync(options.ConfigurationName, cancellationToken: ct));
        if (v is not null && v.Webhooks?.Any(w => !Same(w.ClientConfig.CaBundle, bundle)) == true)
        {
            foreach (var w in v.Webhooks) w.ClientConfig.CaBundle = bundle;
            await api.ReplaceValidatingWebhookConfigurationAsync(v, options.ConfigurationName, fieldManager: OperatorIdentity.FieldManager, cancellationToken: ct);
            log.LogInformation("caBundle written into ValidatingWebhookConfiguration {Name}", options.ConfigurationName);
        }
        var m = await ReadOrNull(() => api.ReadMutatingWebhookConfigurationAsync(options.ConfigurationName, cancellationToken: ct));
        if (m is not null && m.Webhooks?.Any(w => !Same(w.ClientConfig.CaBundle, bundle)) == true)
        {
            foreach (var w in m.Webhooks) w.ClientConfig.CaBundle = bundle;
            await api.ReplaceMutatingWebhookConfigurationAsync(m, options.ConfigurationName, fieldManager: OperatorIdentity.FieldManager, cancellationToken: ct);
            log.LogInformation("caBundle written into MutatingWebhookConfiguration {Name}", options.ConfigurationName);
        }
        if ((v is null || m is null) && !_warnedMissing)
        {
            _warnedMissing = true;
            log.LogWarning("webhook configuration {Name} not found (installed by the chart with webhook.enabled=true); the webhooks serve but the API server does not call them",
                options.ConfigurationName);
        }
    }

    private static bool Same(byte[]? a, byte[] b) => a is not null && a.AsSpan().SequenceEqual(b);

    private static string Json(object? o) => KubernetesJson.Serialize(o);

    private static async Task<T?> ReadOrNull<T>(Func<Task<T>> read) where T : class
    {
        try { return await read(); }
        catch (k8s.Autorest.HttpOperationException e) when (e.Response?.StatusCode == System.Net.HttpStatusCode.NotFound) { return null; }
    }
}
