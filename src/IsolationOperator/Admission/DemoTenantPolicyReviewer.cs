using IsolationOperator.Api.V1Alpha1;

namespace IsolationOperator.Admission;

/// <summary>
/// /validate-demotenant-policy: the rules for the people who create demos (issue 11, section 3). Owner is the creator
/// and fixed; changes and deletes by the owner or an admin; maximum lifetime and extension; the large profile for
/// admins; access subjects under the allowed prefixes. Admins (system:masters, Operator:Admission:AdminGroup) are
/// exempt from all of them; the operator's own requests (Operator:Admission:OperatorUser) and subresources (status)
/// are never refused.
/// </summary>
public sealed class DemoTenantPolicyReviewer(AdmissionOptions options, TimeProvider? clock = null) : IAdmissionReviewer
{
    public const string WebhookPath = "/validate-demotenant-policy";

    private readonly TimeProvider _clock = clock ?? TimeProvider.System;

    public string Path => WebhookPath;
    public bool Mutating => false;
    public WebhookScope Scope => WebhookScope.DemoTenants;
    public IReadOnlyList<WebhookResource> Resources { get; } = [new(DemoTenant.Group, DemoTenant.Version, DemoTenant.Plural)];
    public IReadOnlyList<string> Operations { get; } = ["CREATE", "UPDATE", "DELETE"];

    public Task<AdmissionVerdict> ReviewAsync(AdmissionCall call, CancellationToken cancellationToken) =>
        Task.FromResult(Review(call, options, _clock.GetUtcNow()));

    /// <summary>The whole policy as one pure function.</summary>
    public static AdmissionVerdict Review(AdmissionCall call, AdmissionOptions options, DateTimeOffset now)
    {
        if (!string.IsNullOrEmpty(call.SubResource)) return AdmissionVerdict.Allow; // status: the operator's, and RBAC's
        if (call.Operation is not ("CREATE" or "UPDATE" or "DELETE")) return AdmissionVerdict.Allow;
        if (AdmissionUsers.IsOperator(call, options)) return AdmissionVerdict.Allow;

        var isAdmin = AdmissionUsers.IsAdmin(call, options);
        var tenant = call.Operation == "DELETE" ? null : DemoTenantDocument.Read(call.Object);
        var old = DemoTenantDocument.Read(call.OldObject);
        if (call.Operation != "DELETE" && tenant is null)
            return AdmissionVerdict.Deny($"DemoTenant {call.Name}: the object could not be read as a DemoTenant", 400);

        if (DemoTenantOwnership.Problem(call, tenant, old, options, isAdmin) is { } ownership)
            return AdmissionVerdict.Deny(ownership);
        if (isAdmin || tenant is null) return AdmissionVerdict.Allow;

        var problems = new List<string>();
        problems.AddRange(DemoTenantLifetime.Problems(call, tenant, old, options, now));
        if (DemoTenantProfiles.Problem(tenant, old, options) is { } profile) problems.Add(profile);
        problems.AddRange(DemoTenantAccessSubjects.Problems(tenant, old, options));
        return problems.Count == 0
            ? AdmissionVerdict.Allow
            : AdmissionVerdict.Deny($"DemoTenant {tenant.Metadata.Name}: {string.Join("; ", problems)}");
    }
}
