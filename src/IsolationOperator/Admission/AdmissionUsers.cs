namespace IsolationOperator.Admission;

/// <summary>Who is asking, as far as the policies care: the operator itself, an admin, or anyone else.</summary>
internal static class AdmissionUsers
{
    public static bool IsAdmin(AdmissionCall call, AdmissionOptions options) =>
        call.UserGroups.Contains(AdmissionOptions.SystemMasters, StringComparer.Ordinal) ||
        (!string.IsNullOrWhiteSpace(options.AdminGroup) && call.UserGroups.Contains(options.AdminGroup.Trim(), StringComparer.Ordinal));

    public static bool IsOperator(AdmissionCall call, AdmissionOptions options) =>
        !string.IsNullOrWhiteSpace(options.OperatorUser) && string.Equals(call.UserName, options.OperatorUser.Trim(), StringComparison.Ordinal);

    /// <summary>The kube-controller-manager's own identity, or its per-controller service accounts.</summary>
    public static bool IsControllerManager(AdmissionCall call) =>
        call.UserName == "system:kube-controller-manager" ||
        call.UserName.StartsWith("system:serviceaccount:kube-system:", StringComparison.Ordinal);
}
