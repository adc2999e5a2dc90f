using IsolationOperator.Api.V1Alpha1;

namespace IsolationOperator.Admission;

/// <summary>What a rule inside a tenant namespace may consult besides the object: the request, the tenant, the limits.</summary>
/// <param name="Tenant">The DemoTenant owning the namespace; null when the operator does not know it (the strictest rules apply).</param>
public sealed record WorkloadContext(AdmissionCall Call, string Namespace, DemoTenant? Tenant, AdmissionOptions Options)
{
    public bool AllowsIngress => Tenant?.Spec.Network?.AllowIngress == true;
    public bool AllowsExternalName => Tenant?.Spec.Network?.AllowExternalName == true;
    public IDictionary<string, string> NodeSelector => Tenant?.Spec.Isolation?.Nodes?.Selector ?? new Dictionary<string, string>();
    public IList<k8s.Models.V1Toleration> Tolerations => Tenant?.Spec.Isolation?.Nodes?.Tolerations ?? [];
    public string? RuntimeClassName => Tenant?.Spec.Isolation?.RuntimeClassName is { Length: > 0 } name ? name : null;

    /// <summary>Whom to ask for something the tenant's spec does not allow.</summary>
    public string AskTheOwner => Tenant is null ? "ask the demo's owner" : $"ask the demo's owner ({Tenant.Spec.Owner})";
}
