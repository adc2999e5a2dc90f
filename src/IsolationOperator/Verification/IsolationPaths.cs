using IsolationOperator.Api.V1Alpha1;
using IsolationOperator.Desired;
using k8s.Models;

namespace IsolationOperator.Verification;

/// <summary>
/// The objects, not the operator's, that open a way into or out of one demo: bindings naming its subjects anywhere
/// else, bindings in its namespace naming anyone else, NetworkPolicies in its namespace it did not write, and other
/// namespaces' policies that admit it. Pure: it reads lists the verifier took from the API server.
/// </summary>
public static class IsolationPaths
{
    public static IReadOnlyList<IsolationPath> Find(string tenant, TenantPlan plan, IReadOnlyDictionary<string, string>? namespaceLabels,
        IEnumerable<V1ClusterRoleBinding> clusterBindings, IEnumerable<V1RoleBinding> bindings, IEnumerable<V1NetworkPolicy> policies, DemoGrants? grants = null,
        IReadOnlySet<string>? demoTenantOnlyRoles = null)
    {
        demoTenantOnlyRoles ??= new HashSet<string>();
        grants ??= DemoGrants.None;
        var ns = plan.Namespace;
        var subjects = IsolationChecks.Subjects(plan);
        bool Names(Rbacv1Subject s) => subjects.Any(v => Same(v, s, ns));
        var paths = new List<IsolationPath>();

        // A binding to a role that reaches only DemoTenants (cluster-scoped) opens no namespace: a sales engineer's own.
        foreach (var b in clusterBindings.Where(b => !(b.RoleRef.Kind == "ClusterRole" && demoTenantOnlyRoles.Contains(b.RoleRef.Name))))
            foreach (var s in (b.Subjects ?? []).Where(Names))
                paths.Add(Path("ClusterRoleBinding", null, b.Metadata, $"binds {s.Kind} {s.Name} to {b.RoleRef.Kind} {b.RoleRef.Name} in every namespace"));

        foreach (var b in bindings)
        {
            if (b.Metadata.NamespaceProperty != ns)
            {
                // The operator's binding for another demo that names this subject itself is that demo's grant.
                var grantedThere = TenantLabels.TenantOf(b.Metadata) is not null;
                foreach (var s in (b.Subjects ?? []).Where(Names).Where(s => !(grantedThere && subjects.Any(v => Same(v, s, ns) && grants.Grants(v, b.Metadata.NamespaceProperty)))))
                    paths.Add(Path("RoleBinding", b.Metadata.NamespaceProperty, b.Metadata, $"binds {s.Kind} {s.Name} to {b.RoleRef.Kind} {b.RoleRef.Name} in {b.Metadata.NamespaceProperty}"));
            }
            else if (TenantLabels.TenantOf(b.Metadata) != tenant)
            {
                paths.Add(Path("RoleBinding", ns, b.Metadata,
                    $"binds {string.Join(", ", (b.Subjects ?? []).Select(s => $"{s.Kind} {s.Name}"))} to {b.RoleRef.Kind} {b.RoleRef.Name} in the demo's namespace (not in spec.access)"));
            }
        }

        foreach (var p in policies)
        {
            if (p.Metadata.NamespaceProperty == ns)
            {
                if (TenantLabels.TenantOf(p.Metadata) == tenant) continue;
                paths.Add(Path("NetworkPolicy", ns, p.Metadata, $"written by someone else in the demo's namespace: {Reachability.Describe(p)}"));
            }
            else if (AdmitsFrom(p, namespaceLabels))
            {
                paths.Add(Path("NetworkPolicy", p.Metadata.NamespaceProperty, p.Metadata, $"admits traffic from {ns} into {p.Metadata.NamespaceProperty}"));
            }
        }
        return paths.OrderBy(p => p.Kind, StringComparer.Ordinal).ThenBy(p => p.Namespace, StringComparer.Ordinal).ThenBy(p => p.Name, StringComparer.Ordinal).ToList();
    }

    /// <summary>An ingress rule of another namespace's policy whose peers select this namespace (an empty selector: every namespace).</summary>
    private static bool AdmitsFrom(V1NetworkPolicy p, IReadOnlyDictionary<string, string>? labels) =>
        (p.Spec?.Ingress ?? []).Any(rule => (rule.FromProperty ?? []).Any(peer =>
            peer.NamespaceSelector is { } sel && (IsEmpty(sel) || SelectorMatch.Matches(sel, labels?.ToDictionary(kv => kv.Key, kv => kv.Value)))));

    private static bool IsEmpty(V1LabelSelector s) => (s.MatchLabels is null || s.MatchLabels.Count == 0) && (s.MatchExpressions is null || s.MatchExpressions.Count == 0);

    /// <summary>Exactly this subject: broad groups (system:authenticated, system:serviceaccounts) are the access matrix's to catch.</summary>
    private static bool Same(VerifiedSubject v, Rbacv1Subject s, string ns) => s.Kind switch
    {
        "User" => v.User == s.Name && v.User != IsolationChecks.GroupProbeUser,
        "Group" => v.Groups.Contains(s.Name) && s.Name is not ("system:authenticated" or "system:serviceaccounts"),
        "ServiceAccount" => v.User == $"system:serviceaccount:{s.NamespaceProperty ?? ns}:{s.Name}",
        _ => false,
    };

    private static IsolationPath Path(string kind, string? ns, V1ObjectMeta meta, string opens) => new()
    {
        Kind = kind, Namespace = ns, Name = meta.Name, Opens = opens,
        ChangedBy = meta.ManagedFields?.OrderBy(f => f.Time ?? DateTime.MinValue).LastOrDefault()?.Manager,
    };
}
