using System.Text.RegularExpressions;

namespace IsolationOperator.Desired;

/// <summary>
/// Which namespace a demo may live in. The operator creates the namespace and makes the prospect admin of it, so a
/// demo must not squat on a name the platform uses, or will want, for itself.
/// </summary>
internal static partial class NamespaceRules
{
    [GeneratedRegex(@"^[a-z0-9]([-a-z0-9]*[a-z0-9])?\z")]
    private static partial Regex DnsLabel();

    /// <summary>At most one problem: the first rule broken is the one worth fixing.</summary>
    /// <param name="provisioned">The operator already created this namespace for this tenant (status.namespace).
    /// Refusing it now would freeze a live demo: no expiry, no suspension, no clean-up. So it keeps its name.</param>
    public static string? Problem(string ns, bool fromSpec, string tenant, PlannerPolicy policy, bool provisioned = false)
    {
        if (ns.Length > 63 || !DnsLabel().IsMatch(ns))
            return !fromSpec
                ? ns.Length > 63
                    ? $"the default namespace name \"{ns}\" is longer than 63 characters; set spec.namespace to a shorter name"
                    : $"the default namespace name \"{ns}\" is not a valid namespace name (lowercase letters, digits and '-' only); set spec.namespace"
                : $"spec.namespace \"{ns}\" is not a valid namespace name";

        if (provisioned) return null;

        var what = fromSpec ? $"spec.namespace \"{ns}\"" : $"the default namespace name \"{ns}\"";
        var prefixed = ns.StartsWith(policy.NamespacePrefix, StringComparison.Ordinal);
        var suggestion = Suggestion(tenant, policy);
        if (IsReserved(ns, policy))
            return $"{what} is a platform namespace and cannot host a demo" + (prefixed
                ? fromSpec ? "; choose another name" : "; set spec.namespace to another name"
                : $"; demo namespaces must start with \"{policy.NamespacePrefix}\", such as \"{suggestion}\"");
        if (!prefixed)
            return $"{what} must start with \"{policy.NamespacePrefix}\", such as \"{suggestion}\": demos only get " +
                   "namespaces set aside for them, never one the platform uses or may use later";
        return null;
    }

    public static bool IsReserved(string ns, PlannerPolicy policy) =>
        ns.StartsWith("kube-", StringComparison.Ordinal) || policy.ReservedNamespaces.Contains(ns, StringComparer.Ordinal);

    private static string Suggestion(string tenant, PlannerPolicy policy) => policy.NamespacePrefix + tenant;
}
