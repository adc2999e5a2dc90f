using System.Security.Cryptography;
using System.Text;
using k8s.Models;

namespace IsolationOperator.Desired;

/// <summary>
/// The tenant roles, defined here rather than taken from the built-in admin/edit ClusterRoles, which allow editing
/// NetworkPolicies and RoleBindings and so undo the isolation. No rule grants a write on NetworkPolicies, quotas,
/// limit ranges, RBAC, the namespace, ServiceAccounts, PodDisruptionBudgets or existing Secrets (the operator's
/// generated ones among them).
/// "Bind, don't hold": the roles are ClusterRoles the chart ships (charts/isolation-operator/files/tenant-clusterroles.yaml,
/// held equal to <see cref="BuildClusterRoles"/> by a test); tenant RoleBindings reference them, and the operator
/// needs only <c>bind</c> on these names, never the permissions themselves.
/// </summary>
public static class RbacBuilder
{
    public const string WorkloadServiceAccount = "demo-workload";
    /// <summary>The workload binding is named after its role: roleRef is immutable, so a change of role is a prune + create.</summary>
    public const string WorkloadBindingPrefix = "demo-workload-";
    public const string DefaultWorkloadRole = "view";
    /// <summary>Roles spec.workloadRole may name; admin is left out: a pod's token has no business reading RBAC.</summary>
    public static readonly IReadOnlyList<string> WorkloadRoles = ["view", "edit"];
    public const string AccessBindingPrefix = "access-";
    /// <summary>The binding that gives the operator itself its in-namespace permissions (suspension, checks).</summary>
    public const string OperatorBindingName = "isolation-operator";

    private static readonly string[] Read = ["get", "list", "watch"];
    private static readonly string[] Write = ["get", "list", "watch", "create", "update", "patch", "delete", "deletecollection"];

    private static readonly V1PolicyRule[] ViewRules =
    [
        Rule("", Read, "pods", "pods/log", "pods/status", "services", "endpoints", "configmaps", "persistentvolumeclaims",
            "serviceaccounts", "events", "resourcequotas", "limitranges", "replicationcontrollers"),
        Rule("apps", Read, "deployments", "statefulsets", "replicasets", "daemonsets", "controllerrevisions"),
        Rule("batch", Read, "jobs", "cronjobs"),
        Rule("networking.k8s.io", Read, "ingresses", "networkpolicies"),
        Rule("autoscaling", Read, "horizontalpodautoscalers"),
        Rule("policy", Read, "poddisruptionbudgets"),
        Rule("events.k8s.io", Read, "events"),
    ];

    private static readonly V1PolicyRule[] EditRules =
    [
        .. ViewRules,
        Rule("", Write, "pods", "services", "configmaps", "persistentvolumeclaims", "replicationcontrollers"),
        Rule("", ["create"], "pods/exec", "pods/attach", "pods/portforward"),
        // Secrets may be read and created, never changed or deleted: RBAC cannot exempt the operator's own secrets
        // from a broader grant, and a lost generated password breaks a live demo.
        Rule("", ["get", "list", "watch", "create"], "secrets"),
        Rule("apps", Write, "deployments", "statefulsets", "replicasets", "deployments/scale", "statefulsets/scale"),
        Rule("batch", Write, "jobs", "cronjobs"),
        Rule("networking.k8s.io", Write, "ingresses"),
        Rule("autoscaling", Write, "horizontalpodautoscalers"),
        // PodDisruptionBudgets stay read-only (ViewRules): a tenant's minAvailable could block every node drain.
    ];

    private static readonly V1PolicyRule[] AdminRules =
    [
        .. EditRules,
        // Admins may see who has access; changing it is the DemoTenant's job.
        Rule("rbac.authorization.k8s.io", Read, "roles", "rolebindings"),
    ];

    /// <summary>Role name per access role in the spec.</summary>
    public static readonly IReadOnlyDictionary<string, (string RoleName, V1PolicyRule[] Rules)> Roles =
        new Dictionary<string, (string, V1PolicyRule[])>
        {
            ["admin"] = ("tenant-admin", AdminRules),
            ["edit"] = ("tenant-edit", EditRules),
            ["view"] = ("tenant-view", ViewRules),
        };

    /// <summary>
    /// What a demo's admins may do for its guests: request tokens for the guest ServiceAccounts, which are named by
    /// slot so that this one ClusterRole can name them all (a RoleBinding confines it to the demo's namespace), and
    /// read them. Not the demo-workload account: a token for it would outlive the admin's own access.
    /// </summary>
    public static readonly V1PolicyRule[] GuestTokenIssuerRules =
    [
        new() { ApiGroups = [""], Resources = ["serviceaccounts/token"], Verbs = ["create"], ResourceNames = [.. Guests.Slots] },
    ];

    /// <summary>The tenant ClusterRoles as the chart ships them (and as tests and run-local install them).</summary>
    public static IReadOnlyList<V1ClusterRole> BuildClusterRoles() =>
        Roles.Values.Select(r => (r.RoleName, r.Rules)).Append((Guests.TokenIssuerRole, GuestTokenIssuerRules)).Select(r => new V1ClusterRole
        {
            ApiVersion = "rbac.authorization.k8s.io/v1",
            Kind = "ClusterRole",
            Metadata = new V1ObjectMeta { Name = r.Item1, Labels = new Dictionary<string, string> { ["app.kubernetes.io/part-of"] = "isolation-operator" } },
            Rules = r.Item2.ToList(),
        }).OrderBy(r => r.Metadata.Name, StringComparer.Ordinal).ToList();

    /// <summary>
    /// The operator's own binding in the tenant namespace, to the ClusterRole the chart names for it: what the
    /// operator does inside a demo namespace (scale workloads down, delete their pods) it may do there only.
    /// None when the operator runs with those permissions held (a local run as cluster admin).
    /// </summary>
    public static V1RoleBinding? BuildOperatorBinding(TenantPlan plan) => plan.OperatorAccess is not { } self ? null : new()
    {
        ApiVersion = "rbac.authorization.k8s.io/v1",
        Kind = "RoleBinding",
        Metadata = TenantLabels.Meta(plan.Tenant, OperatorBindingName, plan.Namespace),
        RoleRef = new V1RoleRef { ApiGroup = "rbac.authorization.k8s.io", Kind = "ClusterRole", Name = self.ClusterRole },
        Subjects = [self.Subject()],
    };

    public static V1ServiceAccount BuildServiceAccount(TenantPlan plan) => new()
    {
        ApiVersion = "v1",
        Kind = "ServiceAccount",
        Metadata = TenantLabels.Meta(plan.Tenant, WorkloadServiceAccount, plan.Namespace),
        // Pods get no API token unless they ask for one explicitly.
        AutomountServiceAccountToken = false,
    };

    /// <summary>One ServiceAccount per guest in force (the plan has none while suspended), labelled with the guest it serves.</summary>
    public static IReadOnlyList<V1ServiceAccount> BuildGuestAccounts(TenantPlan plan) => plan.Guests.Select(g =>
    {
        var meta = TenantLabels.Meta(plan.Tenant, g.ServiceAccount, plan.Namespace);
        meta.Labels[Guests.GuestLabel] = g.Name;
        return new V1ServiceAccount { ApiVersion = "v1", Kind = "ServiceAccount", Metadata = meta, AutomountServiceAccountToken = false };
    }).ToList();

    /// <summary>A guest's binding: named by its account's slot and its role, since roleRef cannot change in place.</summary>
    public static string GuestBindingName(string serviceAccount, string role) => $"{serviceAccount}-{role}";

    /// <summary>Whether <paramref name="bindingName"/> is a binding of the guest account <paramref name="serviceAccount"/> (any role).</summary>
    public static bool IsGuestBindingOf(string bindingName, string serviceAccount) =>
        Roles.Keys.Any(role => bindingName == GuestBindingName(serviceAccount, role));

    /// <summary>One binding per access entry in force, plus the workload ServiceAccount's; none while suspended.</summary>
    public static IReadOnlyList<V1RoleBinding> BuildBindings(TenantPlan plan)
    {
        if (plan.Suspended) return [];
        var bindings = plan.Access.Select(a => Binding(plan, BindingName(a), Roles[a.Role].RoleName, new Rbacv1Subject
        {
            Kind = a.Kind,
            Name = a.Name,
            ApiGroup = "rbac.authorization.k8s.io",
        })).ToList();
        bindings.Add(Binding(plan, WorkloadBindingName(plan.WorkloadRole), Roles[plan.WorkloadRole].RoleName, new Rbacv1Subject
        {
            Kind = "ServiceAccount",
            Name = WorkloadServiceAccount,
            NamespaceProperty = plan.Namespace,
        }));
        bindings.AddRange(plan.Guests.Select(g => Binding(plan, GuestBindingName(g.ServiceAccount, g.Role), Roles[g.Role].RoleName, new Rbacv1Subject
        {
            Kind = "ServiceAccount",
            Name = g.ServiceAccount,
            NamespaceProperty = plan.Namespace,
        })));
        // The demo's admins issue its guests' tokens (kubectl demo kubeconfig); only while it has guests.
        var issuers = plan.Access.Where(a => a.Role == "admin").ToList();
        if (plan.Guests.Count > 0 && issuers.Count > 0)
        {
            bindings.Add(Binding(plan, Guests.TokenIssuerBinding, Guests.TokenIssuerRole,
                [.. issuers.Select(a => new Rbacv1Subject { Kind = a.Kind, Name = a.Name, ApiGroup = "rbac.authorization.k8s.io" })]));
        }
        return bindings;
    }

    public static string WorkloadBindingName(string role) => WorkloadBindingPrefix + role;

    /// <summary>A stable, valid object name for a subject whose name may hold '@', ':' or capitals.</summary>
    public static string BindingName(AccessGrant a)
    {
        var hash = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes($"{a.Kind}/{a.Name}/{a.Role}")))[..8].ToLowerInvariant();
        var prefix = $"{AccessBindingPrefix}{a.Role}-{a.Kind.ToLowerInvariant()}-";
        var readable = new string(a.Name.ToLowerInvariant().Select(c => char.IsAsciiLetterOrDigit(c) ? c : '-').ToArray()).Trim('-');
        var budget = 63 - prefix.Length - hash.Length - 1; // a DNS label, whatever the subject's name
        if (readable.Length > budget) readable = readable[..budget].TrimEnd('-');
        return $"{prefix}{(readable.Length > 0 ? readable + "-" : "")}{hash}";
    }

    private static V1RoleBinding Binding(TenantPlan plan, string name, string role, params Rbacv1Subject[] subjects) => new()
    {
        ApiVersion = "rbac.authorization.k8s.io/v1",
        Kind = "RoleBinding",
        Metadata = TenantLabels.Meta(plan.Tenant, name, plan.Namespace),
        RoleRef = new V1RoleRef { ApiGroup = "rbac.authorization.k8s.io", Kind = "ClusterRole", Name = role },
        Subjects = [.. subjects],
    };

    private static V1PolicyRule Rule(string group, string[] verbs, params string[] resources) => new()
    {
        ApiGroups = [group],
        Resources = resources.ToList(),
        Verbs = verbs.ToList(),
    };
}
