using IsolationOperator.Api.V1Alpha1;

namespace IsolationOperator.Admission;

/// <summary>The large profile only for admins (Operator:Admission:LargeProfileAdminOnly, on by default).</summary>
public static class DemoTenantProfiles
{
    public const string Large = "large";

    public static string? Problem(DemoTenant tenant, DemoTenant? old, AdmissionOptions options)
    {
        if (!options.LargeProfileAdminOnly || tenant.Spec.Profile != Large || old?.Spec.Profile == Large) return null;
        return $"spec.profile large is reserved for admins (Operator:Admission:LargeProfileAdminOnly); use medium, " +
               $"or {options.AskAnAdmin} to set it";
    }
}
