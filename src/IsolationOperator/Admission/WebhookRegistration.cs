using System.Text;
using IsolationOperator.Desired;
using k8s.Models;

namespace IsolationOperator.Admission;

/// <summary>
/// The webhook configurations, generated from what the reviewers declare (path, mutating, scope, resources,
/// operations): a new reviewer needs no change here. Pure, so unit tests read the generated objects.
/// </summary>
public static class WebhookRegistration
{
    public const string NameSuffix = ".isolation.demo.dev";
    public const int TimeoutSeconds = 5;
    /// <summary>The guard judges every namespace and RoleBinding write in the cluster: short, and fail-open.</summary>
    public const int GuardTimeoutSeconds = 2;

    /// <summary>The webhook's name inside its configuration, e.g. "validate-demotenant.isolation.demo.dev".</summary>
    public static string WebhookName(IAdmissionReviewer r) => r.Path.TrimStart('/') + NameSuffix;

    /// <summary>Label selector of namespaces the operator manages (ManagedNamespaces scope): never cluster-wide.</summary>
    public static V1LabelSelector ManagedNamespaceSelector() =>
        new() { MatchLabels = new Dictionary<string, string> { [TenantLabels.ManagedBy] = TenantLabels.ManagedByValue } };

    public static V1ValidatingWebhookConfiguration Validating(string name, IEnumerable<IAdmissionReviewer> reviewers, string baseUrl, string? caBundlePem, string? tenantSelector) => new()
    {
        ApiVersion = "admissionregistration.k8s.io/v1",
        Kind = "ValidatingWebhookConfiguration",
        Metadata = Meta(name),
        Webhooks = reviewers.Where(r => !r.Mutating).OrderBy(r => r.Path, StringComparer.Ordinal).Select(r => new V1ValidatingWebhook
        {
            Name = WebhookName(r),
            AdmissionReviewVersions = ["v1"],
            SideEffects = "None",
            // An outage of the guard must never block anyone else's request (it judges the operator's only).
            FailurePolicy = r.Scope == WebhookScope.OperatorRequests ? "Ignore" : "Fail",
            MatchPolicy = "Equivalent",
            TimeoutSeconds = r.Scope == WebhookScope.OperatorRequests ? GuardTimeoutSeconds : TimeoutSeconds,
            ClientConfig = ClientConfig(baseUrl, r.Path, caBundlePem),
            Rules = Rules(r),
            ObjectSelector = ObjectSelector(r, tenantSelector),
            NamespaceSelector = NamespaceSelector(r),
        }).ToList(),
    };

    public static V1MutatingWebhookConfiguration Mutating(string name, IEnumerable<IAdmissionReviewer> reviewers, string baseUrl, string? caBundlePem, string? tenantSelector) => new()
    {
        ApiVersion = "admissionregistration.k8s.io/v1",
        Kind = "MutatingWebhookConfiguration",
        Metadata = Meta(name),
        Webhooks = reviewers.Where(r => r.Mutating).OrderBy(r => r.Path, StringComparer.Ordinal).Select(r => new V1MutatingWebhook
        {
            Name = WebhookName(r),
            AdmissionReviewVersions = ["v1"],
            SideEffects = "None",
            FailurePolicy = "Fail",
            MatchPolicy = "Equivalent",
            // Another webhook changing the object after ours must not undo what ours set (e.g. the requester annotations).
            ReinvocationPolicy = "IfNeeded",
            TimeoutSeconds = TimeoutSeconds,
            ClientConfig = ClientConfig(baseUrl, r.Path, caBundlePem),
            Rules = Rules(r),
            ObjectSelector = ObjectSelector(r, tenantSelector),
            NamespaceSelector = NamespaceSelector(r),
        }).ToList(),
    };

    private static V1ObjectMeta Meta(string name) => new()
    {
        Name = name,
        Labels = new Dictionary<string, string> { [TenantLabels.ManagedBy] = TenantLabels.ManagedByValue },
    };

    /// <summary>DemoTenant webhooks see only this operator's tenants (its label selector); the rest see every object.</summary>
    private static V1LabelSelector ObjectSelector(IAdmissionReviewer r, string? tenantSelector) =>
        (r.Scope == WebhookScope.DemoTenants ? LabelSelectors.Parse(tenantSelector) : null) ?? new V1LabelSelector();

    /// <summary>Workload webhooks see managed namespaces only, never the whole cluster.</summary>
    private static V1LabelSelector NamespaceSelector(IAdmissionReviewer r) =>
        r.Scope == WebhookScope.ManagedNamespaces ? ManagedNamespaceSelector() : new V1LabelSelector();

    private static Admissionregistrationv1WebhookClientConfig ClientConfig(string baseUrl, string path, string? caBundlePem) => new()
    {
        Url = baseUrl.TrimEnd('/') + path,
        CaBundle = caBundlePem is null ? null : Encoding.UTF8.GetBytes(caBundlePem),
    };

    /// <summary>One rule per API group and version; DemoTenants are cluster-scoped, the rest namespaced.</summary>
    private static List<V1RuleWithOperations> Rules(IAdmissionReviewer r) =>
        r.Resources.GroupBy(x => (x.Group, x.Version)).OrderBy(g => g.Key.Group, StringComparer.Ordinal).Select(g => new V1RuleWithOperations
        {
            ApiGroups = [g.Key.Group],
            ApiVersions = [g.Key.Version],
            Resources = g.Select(x => x.Resource).Distinct().ToList(),
            Operations = r.Operations.ToList(),
            Scope = r.Scope switch { WebhookScope.DemoTenants => "Cluster", WebhookScope.OperatorRequests => "*", _ => "Namespaced" },
        }).ToList();
}
