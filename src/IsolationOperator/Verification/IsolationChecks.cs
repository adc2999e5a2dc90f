using IsolationOperator.Desired;

namespace IsolationOperator.Verification;

/// <summary>Someone the verifier asks about, as the API server would authenticate them.</summary>
/// <param name="Name">How status and the CLI name them, e.g. "Group prospect-acme".</param>
/// <param name="Role">The tenant role they are bound to: admin, edit or view.</param>
public sealed record VerifiedSubject(string Name, string User, IReadOnlyList<string> Groups, string Role);

/// <summary>One SubjectAccessReview and the answer isolation needs.</summary>
/// <param name="Id">Stable check name for metrics, e.g. "cluster:nodes:list" or "tenant:networkpolicies:create".</param>
public sealed record AccessCheck(string Id, VerifiedSubject Subject, string Verb, string Group, string Resource, string? Namespace, bool Expected,
    string? Subresource = null, string? Name = null)
{
    public string Describe() =>
        $"{Subject.Name} {(Expected ? "cannot" : "can")} {Verb} {(Group.Length == 0 ? "" : Group + "/")}{Resource}{(Subresource is null ? "" : "/" + Subresource)}" +
        (Namespace is null ? " cluster-wide" : $" in {Namespace}") + (Expected ? " (its role promises it)" : " (isolation forbids it)");
}

/// <summary>
/// The access matrix, derived from the Kubernetes multi-tenancy benchmarks' Level 1 profile: no cluster-scoped
/// access, no write on what fences the namespace, no impersonation, escalation or binding, no tokens beyond the role,
/// nothing in any other tenant's namespace; and the positive checks that each role can do what it promises. Pure.
/// </summary>
public static class IsolationChecks
{
    /// <summary>At most this many other demo namespaces are probed per tenant (a documented sample at scale).</summary>
    public const int OtherNamespaceSample = 5;

    /// <summary>A probe user for a Group subject: a SubjectAccessReview needs a user, and this one holds nothing of its own.</summary>
    public const string GroupProbeUser = "isolation-operator:verification-probe";

    private static readonly (string Group, string Resource, string Verb)[] ClusterScoped =
    [
        ("", "namespaces", "list"), ("", "namespaces", "create"), ("", "nodes", "get"), ("", "nodes", "list"),
        ("", "persistentvolumes", "list"), ("", "persistentvolumes", "create"),
        ("rbac.authorization.k8s.io", "clusterroles", "create"), ("rbac.authorization.k8s.io", "clusterrolebindings", "create"),
        ("rbac.authorization.k8s.io", "clusterrolebindings", "list"),
        ("apiextensions.k8s.io", "customresourcedefinitions", "create"),
        ("admissionregistration.k8s.io", "validatingwebhookconfigurations", "create"),
        ("admissionregistration.k8s.io", "mutatingwebhookconfigurations", "create"),
    ];

    /// <summary>What fences the namespace: no verb that changes it.</summary>
    private static readonly (string Group, string Resource, string[] Verbs)[] Fences =
    [
        ("networking.k8s.io", "networkpolicies", ["create", "update", "patch", "delete"]),
        ("", "resourcequotas", ["create", "update", "delete"]),
        ("", "limitranges", ["create", "update", "delete"]),
        ("rbac.authorization.k8s.io", "roles", ["create", "update", "escalate", "bind"]),
        ("rbac.authorization.k8s.io", "rolebindings", ["create", "update", "delete"]),
        ("", "serviceaccounts", ["create", "update", "delete", "impersonate"]),
        ("policy", "poddisruptionbudgets", ["create", "update"]),
    ];

    private static readonly (string Group, string Resource, string Verb)[] InOtherTenants =
    [
        ("", "pods", "list"), ("", "pods", "create"), ("", "secrets", "get"), ("", "configmaps", "list"),
    ];

    /// <summary>Everyone spec.access binds, plus the demo's workload ServiceAccount.</summary>
    public static IReadOnlyList<VerifiedSubject> Subjects(TenantPlan plan)
    {
        var subjects = plan.Access.Select(a => a.Kind == "Group"
            ? new VerifiedSubject($"Group {a.Name}", GroupProbeUser, [a.Name, "system:authenticated"], a.Role)
            : new VerifiedSubject($"User {a.Name}", a.Name, ["system:authenticated"], a.Role)).ToList();
        subjects.Add(new VerifiedSubject($"ServiceAccount {plan.Namespace}/{RbacBuilder.WorkloadServiceAccount}",
            $"system:serviceaccount:{plan.Namespace}:{RbacBuilder.WorkloadServiceAccount}",
            ["system:serviceaccounts", $"system:serviceaccounts:{plan.Namespace}", "system:authenticated"], plan.WorkloadRole));
        subjects.AddRange(plan.Guests.Select(g => new VerifiedSubject($"Guest {g.Name} ({plan.Namespace}/{g.ServiceAccount})",
            $"system:serviceaccount:{plan.Namespace}:{g.ServiceAccount}",
            ["system:serviceaccounts", $"system:serviceaccounts:{plan.Namespace}", "system:authenticated"], g.Role)));
        return subjects;
    }

    /// <summary>The sample of other demo namespaces: stable (sorted), so successive runs ask the same.</summary>
    public static IReadOnlyList<string> Sample(IEnumerable<string> otherDemoNamespaces, string own) =>
        otherDemoNamespaces.Where(n => n != own).Order(StringComparer.Ordinal).Take(OtherNamespaceSample).ToList();

    public static IReadOnlyList<AccessCheck> For(TenantPlan plan, IReadOnlyList<string> otherNamespaces, DemoGrants? grants = null)
    {
        grants ??= DemoGrants.None;
        var ns = plan.Namespace;
        var checks = new List<AccessCheck>();
        foreach (var s in plan.Suspended ? [] : Subjects(plan))
        {
            checks.AddRange(ClusterScoped.Select(c => new AccessCheck($"cluster:{c.Resource}:{c.Verb}", s, c.Verb, c.Group, c.Resource, null, false)));
            checks.Add(new AccessCheck("tenant:namespace:delete", s, "delete", "", "namespaces", null, false, Name: ns));
            checks.Add(new AccessCheck("tenant:namespace:update", s, "update", "", "namespaces", null, false, Name: ns));
            checks.AddRange(Fences.SelectMany(f => f.Verbs.Select(v => new AccessCheck($"tenant:{f.Resource}:{v}", s, v, f.Group, f.Resource, ns, false))));
            checks.Add(new AccessCheck("tenant:serviceaccounts/token:create", s, "create", "", "serviceaccounts", ns, false, "token"));
            // A token for the workload's account would outlive its holder's own access; guests' accounts are the admins' to issue for.
            checks.Add(new AccessCheck("tenant:workload-token:create", s, "create", "", "serviceaccounts", ns, false, "token", Name: RbacBuilder.WorkloadServiceAccount));
            if (s.Role == "admin" && plan.Guests.Count > 0 && !s.User.StartsWith("system:serviceaccount:", StringComparison.Ordinal))
                checks.Add(new AccessCheck("promise:guest-token:create", s, "create", "", "serviceaccounts", ns, true, "token", Name: plan.Guests[0].ServiceAccount));
            foreach (var (kind, resource) in new[] { ("users", "users"), ("groups", "groups") })
                checks.Add(new AccessCheck($"cluster:{kind}:impersonate", s, "impersonate", "", resource, null, false));
            // Another demo that names this subject in its own spec lets it in: that demo's grant, not this one's hole.
            checks.AddRange(otherNamespaces.Where(other => !grants.Grants(s, other)).SelectMany(other => InOtherTenants.Select(c =>
                new AccessCheck($"other-tenant:{c.Resource}:{c.Verb}", s, c.Verb, c.Group, c.Resource, other, false))));
            checks.AddRange(Promised(s, ns));
        }
        return checks;
    }

    /// <summary>What each role must be able to do, so a verification that passes is not one where nothing works.</summary>
    private static IEnumerable<AccessCheck> Promised(VerifiedSubject s, string ns)
    {
        yield return new AccessCheck("promise:pods:list", s, "list", "", "pods", ns, true);
        if (s.Role is "edit" or "admin")
        {
            yield return new AccessCheck("promise:deployments:create", s, "create", "apps", "deployments", ns, true);
            yield return new AccessCheck("promise:pods/exec:create", s, "create", "", "pods", ns, true, "exec");
        }
        if (s.Role == "admin") yield return new AccessCheck("promise:rolebindings:list", s, "list", "rbac.authorization.k8s.io", "rolebindings", ns, true);
    }
}
