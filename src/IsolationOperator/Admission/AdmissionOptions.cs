namespace IsolationOperator.Admission;

/// <summary>
/// Configuration section "Operator:Admission" (environment: Operator__Admission__AdminGroup=platform-admins,
/// Operator__Admission__IngressClasses__0=nginx, ...): the limits the policy webhooks enforce. Read by
/// <see cref="DemoTenantPolicyReviewer"/>, <see cref="TenantWorkloadReviewer"/> and <see cref="TenantPodMutator"/>.
/// Lists are empty by default; an empty allow-list allows only "nothing set" (see each key).
/// </summary>
public sealed class AdmissionOptions
{
    public const string Section = "Operator:Admission";

    /// <summary>The built-in admin group: its members bypass RBAC, so they are admins of this policy too.</summary>
    public const string SystemMasters = "system:masters";

    /// <summary>
    /// Operator__Admission__AdminGroup: members of this group (and of system:masters) may create a demo for another
    /// owner, change or delete anyone's demo, use the large profile and are exempt from the lifetime, extension and
    /// subject-prefix limits. Unset: only system:masters.
    /// </summary>
    public string? AdminGroup { get; set; }

    /// <summary>
    /// Operator__Admission__OperatorUser: the operator's own user name (in a pod,
    /// system:serviceaccount:&lt;namespace&gt;:&lt;service account&gt;; the chart sets it). Its requests (finalizer
    /// removal, its own patches) are never refused by the DemoTenant policy.
    /// </summary>
    public string? OperatorUser { get; set; }

    /// <summary>
    /// Operator__Admission__MaxLifetime (TimeSpan, e.g. 30.00:00:00): the longest a demo may live, from its creation
    /// to its expiry (spec.expiresAt, else creation + spec.ttl). With it set, a demo without ttl or expiresAt is
    /// refused. Unset: no limit.
    /// </summary>
    public TimeSpan? MaxLifetime { get; set; }

    /// <summary>
    /// Operator__Admission__MaxExtension (TimeSpan, e.g. 7.00:00:00): how much later one change may move a demo's
    /// expiry. Unset: no limit (MaxLifetime still applies).
    /// </summary>
    public TimeSpan? MaxExtension { get; set; }

    /// <summary>Operator__Admission__LargeProfileAdminOnly (true): only admins may choose spec.profile: large.</summary>
    public bool LargeProfileAdminOnly { get; set; } = true;

    /// <summary>
    /// Operator__Admission__AllowedSubjectPrefixes__0=prospect-, __1=se-: every user and group newly named in
    /// spec.access must start with one of these, so a demo can never grant an internal group. Empty: no limit.
    /// </summary>
    public List<string> AllowedSubjectPrefixes { get; set; } = [];

    /// <summary>
    /// Operator__Admission__EnforcePodSecurity (true): the webhook enforces the Pod Security "restricted" profile in
    /// tenant namespaces. Turn it off only on clusters where Pod Security admission enforces the namespace labels the
    /// operator writes (Kubernetes 1.23 and later with the PodSecurity plugin enabled, the default from 1.25).
    /// </summary>
    public bool EnforcePodSecurity { get; set; } = true;

    /// <summary>
    /// Operator__Admission__PriorityClasses__0=demo-low: the priority classes tenant pods may name. Empty: pods may
    /// not set spec.priorityClassName. A cluster with a globalDefault PriorityClass must list it here (the Priority
    /// admission plugin writes its name into every pod that names none).
    /// </summary>
    public List<string> PriorityClasses { get; set; } = [];

    /// <summary>
    /// Operator__Admission__IngressClasses__0=nginx: the classes an Ingress may name (spec.ingressClassName or the
    /// kubernetes.io/ingress.class annotation). Empty: the cluster's default class only (neither set).
    /// </summary>
    public List<string> IngressClasses { get; set; } = [];

    /// <summary>
    /// Operator__Admission__IngressDomain (e.g. demos.example.com): Ingress hosts must be &lt;namespace&gt;.&lt;domain&gt;
    /// or a name under it (app.demo-acme.demos.example.com, *.demo-acme.demos.example.com). Unset: no host is
    /// allowed, so Ingresses cannot be used even where a tenant allows them.
    /// </summary>
    public string? IngressDomain { get; set; }

    /// <summary>
    /// Operator__Admission__IngressAnnotationAllowList__0=nginx.ingress.kubernetes.io/rewrite-target: the controller
    /// annotations an Ingress may carry; an entry ending in '*' allows a prefix (cert-manager.io/*). Annotations
    /// without a '/' prefix and kubectl.kubernetes.io/* are always allowed; ingress-nginx snippets, auth-url,
    /// mirror and secret/configmap references are never allowed, listed or not (<see cref="IngressRules"/>).
    /// </summary>
    public List<string> IngressAnnotationAllowList { get; set; } = [];

    /// <summary>
    /// Operator__Admission__StorageClasses__0=standard: the StorageClasses a PersistentVolumeClaim may name. Empty:
    /// the default class only (storageClassName unset).
    /// </summary>
    public List<string> StorageClasses { get; set; } = [];

    /// <summary>"ask an admin (group platform-admins)", for refusals an admin could lift.</summary>
    internal string AskAnAdmin => string.IsNullOrWhiteSpace(AdminGroup)
        ? "ask a cluster admin (group system:masters)"
        : $"ask an admin (group {AdminGroup})";

    /// <summary>Environment lists arrive with stray spaces and empty entries; neither names anything.</summary>
    internal static IReadOnlyList<string> Clean(IEnumerable<string> values) =>
        values.Select(v => v.Trim()).Where(v => v.Length > 0).Distinct(StringComparer.Ordinal).ToList();
}
