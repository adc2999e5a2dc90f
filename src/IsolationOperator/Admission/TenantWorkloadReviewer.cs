using System.Text.Json;
using IsolationOperator.Api.V1Alpha1;

namespace IsolationOperator.Admission;

/// <summary>
/// /validate-tenant-workloads: what RBAC cannot express inside tenant namespaces (issue 11, section 4): Services
/// (<see cref="ServiceRules"/>), Pods (<see cref="PodSecurityRules"/> when Operator:Admission:EnforcePodSecurity,
/// <see cref="PodPlacementRules"/>), Ingresses (<see cref="IngressRules"/>), PersistentVolumeClaims
/// (<see cref="VolumeClaimRules"/>), Secrets (<see cref="SecretRules"/>).
/// An UPDATE is refused only for what it adds: a finding the old object already had (an object from before the
/// policy, a finalizer being removed) does not block it.
/// </summary>
/// <param name="tenantOfNamespace">The DemoTenant owning a namespace, from the operator's cache; null when unknown.</param>
public sealed class TenantWorkloadReviewer(Func<string, DemoTenant?> tenantOfNamespace, AdmissionOptions options) : IAdmissionReviewer
{
    public const string WebhookPath = "/validate-tenant-workloads";

    public string Path => WebhookPath;
    public bool Mutating => false;
    public WebhookScope Scope => WebhookScope.ManagedNamespaces;
    public IReadOnlyList<WebhookResource> Resources { get; } =
    [
        new("", "v1", "pods"), new("", "v1", "pods/ephemeralcontainers"), new("", "v1", "services"), new("", "v1", "secrets"),
        new("", "v1", "persistentvolumeclaims"), new("networking.k8s.io", "v1", "ingresses"),
    ];
    public IReadOnlyList<string> Operations { get; } = ["CREATE", "UPDATE"];

    public Task<AdmissionVerdict> ReviewAsync(AdmissionCall call, CancellationToken cancellationToken) =>
        Task.FromResult(Review(call, call.Namespace is { Length: > 0 } ns ? tenantOfNamespace(ns) : null, options));

    public static AdmissionVerdict Review(AdmissionCall call, DemoTenant? tenant, AdmissionOptions options)
    {
        if (call.Operation is not ("CREATE" or "UPDATE") || string.IsNullOrEmpty(call.Namespace) || call.Object is not { } obj)
            return AdmissionVerdict.Allow;
        if (!string.IsNullOrEmpty(call.SubResource) && call.SubResource != "ephemeralcontainers") return AdmissionVerdict.Allow;
        if (tenant is null && call.Operation == "CREATE")
            return AdmissionVerdict.Deny($"namespace {call.Namespace} belongs to a demo the operator has not loaded yet, so its rules cannot be checked; try again in a few seconds");

        var context = new WorkloadContext(call, call.Namespace, tenant, options);
        var findings = Findings(call, obj, context).Distinct().ToList();
        if (call.Operation == "UPDATE" && call.OldObject is { } old)
        {
            var before = Findings(call, old, context).ToHashSet(StringComparer.Ordinal);
            findings.RemoveAll(before.Contains);
        }
        if (findings.Count == 0) return AdmissionVerdict.Allow;
        var verb = call.Operation == "CREATE" ? "created" : "changed";
        return AdmissionVerdict.Deny($"{call.Kind} {Name(call, obj)} cannot be {verb} in demo namespace {call.Namespace}: {string.Join("; ", findings)}");
    }

    /// <summary>Every finding of the rules for this kind of object.</summary>
    public static IEnumerable<string> Findings(AdmissionCall call, JsonElement obj, WorkloadContext context) => (call.Group, call.Kind) switch
    {
        ("", "Pod") when call.SubResource == "ephemeralcontainers" => PodFindings(obj, "Pod", context, placement: false),
        ("", "EphemeralContainers") => PodFindings(obj, "EphemeralContainers", context, placement: false),
        ("", "Pod") => PodFindings(obj, "Pod", context, placement: true),
        ("", "Service") => ServiceRules.Findings(obj, context),
        ("", "Secret") => SecretRules.Findings(obj, context),
        ("", "PersistentVolumeClaim") => VolumeClaimRules.Findings(obj, context),
        ("networking.k8s.io" or "extensions", "Ingress") => IngressRules.Findings(obj, context),
        _ => [],
    };

    private static IEnumerable<string> PodFindings(JsonElement obj, string kind, WorkloadContext context, bool placement)
    {
        var findings = new List<string>();
        if (context.Options.EnforcePodSecurity) findings.AddRange(PodSecurityRules.Findings(PodShape.Of(obj, kind)));
        if (placement) findings.AddRange(PodPlacementRules.Findings(obj, context));
        // A pod could hand a guest's token to whoever may create pods, outliving that person's own access.
        if (placement && (obj.Str("spec", "serviceAccountName") ?? obj.Str("spec", "serviceAccount")) is { } account && Desired.Guests.IsSlot(account))
            findings.Add($"it runs as ServiceAccount {account}, which belongs to a guest's kubeconfig; pods run as {Desired.RbacBuilder.WorkloadServiceAccount} or their own account");
        return findings;
    }

    private static string Name(AdmissionCall call, JsonElement obj) =>
        call.Name is { Length: > 0 } n ? n : obj.Str("metadata", "name") ?? (obj.Str("metadata", "generateName") is { } g ? g + "*" : "(unnamed)");
}
