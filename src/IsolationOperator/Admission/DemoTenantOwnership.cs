using IsolationOperator.Api.V1Alpha1;

namespace IsolationOperator.Admission;

/// <summary>
/// Who may create, change and delete a demo: its owner is the person who created it (an admin may name someone
/// else), only the owner or an admin may change or delete it, and only an admin may hand it to another owner.
/// </summary>
public static class DemoTenantOwnership
{
    public static string? Problem(AdmissionCall call, DemoTenant? tenant, DemoTenant? old, AdmissionOptions options, bool isAdmin)
    {
        if (isAdmin) return null;
        var name = tenant?.Metadata.Name ?? old?.Metadata.Name ?? call.Name ?? "";
        switch (call.Operation)
        {
            case "CREATE" when tenant is not null && !string.Equals(tenant.Spec.Owner, call.UserName, StringComparison.Ordinal):
                return $"spec.owner \"{tenant.Spec.Owner}\" must be you, \"{call.UserName}\": a demo belongs to the person who creates it " +
                       $"(rule: owner is the creator); set spec.owner: {call.UserName}, or {options.AskAnAdmin} to create it for someone else";
            case "UPDATE" or "DELETE" when old is null:
                return $"DemoTenant {name}: the request does not show who owns the demo, so it cannot be checked; {options.AskAnAdmin}";
            case "UPDATE" or "DELETE" when !string.Equals(old!.Spec.Owner, call.UserName, StringComparison.Ordinal):
                var verb = call.Operation == "DELETE" ? "delete" : "change";
                return $"DemoTenant {name} belongs to {old.Spec.Owner}: only its owner or an admin may {verb} it (rule: owner only), " +
                       $"and you are {call.UserName}; ask {old.Spec.Owner}, or {options.AskAnAdmin}";
            case "UPDATE" when tenant is not null && !string.Equals(tenant.Spec.Owner, old.Spec.Owner, StringComparison.Ordinal):
                return $"spec.owner cannot change from \"{old.Spec.Owner}\" to \"{tenant.Spec.Owner}\" (rule: the owner is fixed); " +
                       $"set it back to {old.Spec.Owner}, or {options.AskAnAdmin} to hand the demo over";
            default:
                return null;
        }
    }
}
