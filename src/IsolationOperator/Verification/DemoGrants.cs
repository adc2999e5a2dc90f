using IsolationOperator.Api.V1Alpha1;

namespace IsolationOperator.Verification;

/// <summary>
/// Who each demo's own spec lets into its namespace. A sales engineer named in several demos may enter all of them:
/// that is each of those demos granting it, not a hole in this one, so the verifier neither probes those
/// namespaces for that subject nor reports the operator's own bindings there as paths. Pure.
/// </summary>
public sealed class DemoGrants
{
    public static readonly DemoGrants None = new([]);
    private readonly Dictionary<string, HashSet<string>> _byNamespace;

    /// <param name="policy">How a demo's namespace is named before its status says (a demo provisioning right now).</param>
    public DemoGrants(IEnumerable<DemoTenant> tenants, Desired.PlannerPolicy? policy = null)
    {
        _byNamespace = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        foreach (var t in tenants)
        {
            var ns = t.Status?.Namespace is { Length: > 0 } recorded ? recorded : Desired.TenantPlanner.NamespaceFor(t, policy ?? Desired.PlannerPolicy.Default);
            if (string.IsNullOrEmpty(ns) || t.Spec?.Access is not { } access) continue;
            if (!_byNamespace.TryGetValue(ns, out var set)) _byNamespace[ns] = set = new HashSet<string>(StringComparer.Ordinal);
            foreach (var a in access) set.Add($"{a.Kind}:{a.Name}");
        }
    }

    /// <summary>Whether the demo owning <paramref name="ns"/> names this subject in its own spec.access.</summary>
    public bool Grants(VerifiedSubject subject, string ns)
    {
        if (!_byNamespace.TryGetValue(ns, out var set)) return false;
        if (subject.User != IsolationChecks.GroupProbeUser && set.Contains($"User:{subject.User}")) return true;
        return subject.Name.StartsWith("Group ", StringComparison.Ordinal) && set.Contains($"Group:{subject.Name["Group ".Length..]}");
    }
}
