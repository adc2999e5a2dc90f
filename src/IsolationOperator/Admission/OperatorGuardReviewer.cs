using System.Text.Json;
using IsolationOperator.Desired;
using IsolationOperator.Engine;
using k8s;
using k8s.Models;

namespace IsolationOperator.Admission;

/// <summary>
/// /validate-operator-requests: the operator guarded against itself. RBAC cannot say "only in namespaces you manage"
/// for namespaces created at run time, so the operator holds namespace, RoleBinding, Secret, NetworkPolicy, quota and
/// ServiceAccount writes cluster-wide; this webhook refuses every such write made as the operator's own user outside a
/// namespace it manages (plus its TLS Secret and audit key in its own namespace), every delete or change of an unmanaged namespace,
/// and the managed label added to a namespace that lacks it. Anyone else's request passes at once, and the webhook is
/// registered fail-open (Ignore): its outage never blocks another user. On Kubernetes 1.30 and later the chart also
/// renders the same rules as a ValidatingAdmissionPolicy, which the API server enforces without this process.
/// </summary>
public sealed class OperatorGuardReviewer(AdmissionContext context, string operatorUser) : IAdmissionReviewer
{
    public const string GuardPath = "/validate-operator-requests";

    public string Path => GuardPath;
    public bool Mutating => false;
    public WebhookScope Scope => WebhookScope.OperatorRequests;

    /// <summary>What the operator writes; the chart's ValidatingAdmissionPolicy lists the same.</summary>
    public IReadOnlyList<WebhookResource> Resources { get; } =
    [
        new("", "v1", "namespaces"), new("", "v1", "secrets"), new("", "v1", "serviceaccounts"),
        new("", "v1", "resourcequotas"), new("", "v1", "limitranges"),
        new("networking.k8s.io", "v1", "networkpolicies"), new("rbac.authorization.k8s.io", "v1", "rolebindings"),
    ];

    public IReadOnlyList<string> Operations { get; } = ["CREATE", "UPDATE", "DELETE"];

    public async Task<AdmissionVerdict> ReviewAsync(AdmissionCall call, CancellationToken cancellationToken)
    {
        if (!string.Equals(call.UserName, operatorUser, StringComparison.Ordinal)) return AdmissionVerdict.Allow;
        if (call.Kind == "Namespace") return Namespace(call);
        if (call.Namespace is not { Length: > 0 } ns) return AdmissionVerdict.Allow;
        // The webhook's own certificate Secret lives in the operator's namespace, which it does not manage.
        if (call.Kind == "Secret" && ns == context.Options.EffectiveLeaseNamespace && call.Name == context.Options.Webhook.SecretName)
            return AdmissionVerdict.Allow;
        // So does the audit trail's HMAC key (the trail itself is ConfigMaps, which the guard does not judge).
        if (call.Kind == "Secret" && ns == context.Options.EffectiveAuditNamespace && call.Name == context.Options.Audit.KeySecret)
            return AdmissionVerdict.Allow;
        if (await IsManagedAsync(ns, cancellationToken)) return AdmissionVerdict.Allow;
        return AdmissionVerdict.Deny($"{operatorUser} may {Verb(call)} {call.Kind} objects only in namespaces it manages " +
                                     $"(label {TenantLabels.ManagedSelector}); {ns} is not one (operator guard, {GuardPath}).");
    }

    private AdmissionVerdict Namespace(AdmissionCall call)
    {
        var name = call.Name ?? "";
        var wasManaged = IsManaged(call.OldObject);
        switch (call.Operation)
        {
            case "CREATE" when !IsManaged(call.Object):
                return AdmissionVerdict.Deny($"{operatorUser} may create only namespaces labelled {TenantLabels.ManagedSelector} (operator guard).");
            case "CREATE" when NamespaceRules.IsReserved(name, context.Policy):
                return AdmissionVerdict.Deny($"{operatorUser} may not create the reserved namespace {name} (operator guard).");
            case "CREATE":
                return AdmissionVerdict.Allow;
            case "UPDATE" when !wasManaged:
                return AdmissionVerdict.Deny(IsManaged(call.Object)
                    ? $"{operatorUser} may not add the label {TenantLabels.ManagedSelector} to namespace {name}, which it does not manage (operator guard)."
                    : $"{operatorUser} may change only namespaces it manages; {name} is not one (operator guard).");
            case "DELETE" when !wasManaged:
                return AdmissionVerdict.Deny($"{operatorUser} may delete only namespaces it manages; {name} is not one (operator guard).");
            default:
                return AdmissionVerdict.Allow;
        }
    }

    private static string Verb(AdmissionCall call) => call.Operation switch { "CREATE" => "create", "DELETE" => "delete", _ => "change" };

    private static bool IsManaged(JsonElement? o) =>
        o is { ValueKind: JsonValueKind.Object } obj && obj.TryGetProperty("metadata", out var meta) && meta.TryGetProperty("labels", out var labels)
        && labels.ValueKind == JsonValueKind.Object && labels.TryGetProperty(TenantLabels.ManagedBy, out var v) && v.GetString() == TenantLabels.ManagedByValue;

    /// <summary>A managed namespace from the cache (it holds only those); otherwise a GET, so a cold cache never refuses wrongly.</summary>
    private async Task<bool> IsManagedAsync(string ns, CancellationToken ct)
    {
        if (context.Cache?.Namespaces.Get(null, ns) is not null) return true;
        try
        {
            var live = await context.Client.CoreV1.ReadNamespaceAsync(ns, cancellationToken: ct);
            return live.Metadata.Labels?.TryGetValue(TenantLabels.ManagedBy, out var v) == true && v == TenantLabels.ManagedByValue;
        }
        catch (Exception e) when (ApiErrors.IsNotFound(e, "namespaces"))
        {
            return false;
        }
    }
}
