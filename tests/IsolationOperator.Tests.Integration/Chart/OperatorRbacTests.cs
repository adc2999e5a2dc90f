using IsolationOperator.Desired;
using k8s.Models;

namespace IsolationOperator.Tests.Integration.Chart;

/// <summary>
/// Least privilege, read from <c>helm template</c>: what the chart binds to the operator's ServiceAccount is exactly
/// what the operator's code calls, plus the tenant Roles' permissions (RBAC escalation prevention), and nothing that
/// could widen itself.
/// </summary>
public sealed class OperatorRbacTests
{
    private const string Release = "rbac";
    private const string Namespace = "isolation-system";
    private const string FullName = "rbac-isolation-operator";
    private const string LeaseName = "isolation-operator-leader";

    /// <summary>
    /// Everything the operator calls itself, one entry per (group, resource, verb), each with the code that calls it.
    /// The operator's ClusterRole must grant exactly this: a permission added to the chart without a use here fails,
    /// and so does a use here the chart does not grant.
    /// </summary>
    public static readonly IReadOnlyList<Permission> OperatorClusterRole =
    [
        new("isolation.demo.dev", "demotenants", "list"), // Informer.RelistAsync via OwnedKinds.DemoTenants.List (label-selected)
        new("isolation.demo.dev", "demotenants", "watch"), // Informer.RunAsync via OwnedKinds.DemoTenants.Watch
        new("isolation.demo.dev", "demotenants", "patch"), // Finalizers.EnsureAsync (apply) and Finalizers.RemoveAsync (JSON patch)
        new("isolation.demo.dev", "demotenants/status", "patch"), // StatusWriter.WriteAsync: apply (with a resourceVersion precondition) to the status subresource
        new("", "namespaces", "get"), // TenantNamespaces.EnsureAsync after AlreadyExists, and TenantNamespaces.DeleteAsync (terminating state)
        new("", "namespaces", "list"), // Informer (ClusterCache.Namespaces)
        new("", "namespaces", "watch"), // Informer (ClusterCache.Namespaces)
        new("", "namespaces", "create"), // TenantNamespaces.EnsureAsync: a create call, so two tenants never share one namespace
        new("", "namespaces", "patch"), // ResourceApplier.ApplyAsync: server-side apply (OwnedKinds.Namespaces.Patch)
        new("", "namespaces", "update"), // ResourceApplier.ApplyAsync: Replace after an apply that left a foreign field
        new("", "namespaces", "delete"), // TenantNamespaces.DeleteAsync: expiry and deletion (LifecycleStep.DeleteNamespace)
        new("", "serviceaccounts", "list"), // Informer (ClusterCache.ServiceAccounts)
        new("", "serviceaccounts", "watch"), // Informer (ClusterCache.ServiceAccounts)
        new("", "serviceaccounts", "create"), // ResourceApplier.ApplyAsync creating demo-workload
        new("", "serviceaccounts", "patch"), // ResourceApplier.ApplyAsync
        new("", "serviceaccounts", "update"), // ResourceApplier.ApplyAsync: Replace
        new("", "serviceaccounts", "delete"), // AccessRevocation: the workload account's tokens die with it (revocation, expiry), and pruning
        new("", "resourcequotas", "list"), // Informer (ClusterCache.ResourceQuotas)
        new("", "resourcequotas", "watch"), // Informer (ClusterCache.ResourceQuotas)
        new("", "resourcequotas", "create"), // ResourceApplier.ApplyAsync creating tenant-quota
        new("", "resourcequotas", "patch"), // ResourceApplier.ApplyAsync
        new("", "resourcequotas", "update"), // ResourceApplier.ApplyAsync: Replace
        new("", "resourcequotas", "delete"), // DemoTenantReconciler.PruneAsync
        new("", "limitranges", "list"), // Informer (ClusterCache.LimitRanges)
        new("", "limitranges", "watch"), // Informer (ClusterCache.LimitRanges)
        new("", "limitranges", "create"), // ResourceApplier.ApplyAsync creating tenant-limits
        new("", "limitranges", "patch"), // ResourceApplier.ApplyAsync
        new("", "limitranges", "update"), // ResourceApplier.ApplyAsync: Replace
        new("", "limitranges", "delete"), // DemoTenantReconciler.PruneAsync
        new("networking.k8s.io", "networkpolicies", "list"), // Informer (ClusterCache.NetworkPolicies)
        new("networking.k8s.io", "networkpolicies", "watch"), // Informer (ClusterCache.NetworkPolicies)
        new("networking.k8s.io", "networkpolicies", "create"), // ResourceApplier.ApplyAsync creating default-deny and the allowances
        new("networking.k8s.io", "networkpolicies", "patch"), // ResourceApplier.ApplyAsync
        new("networking.k8s.io", "networkpolicies", "update"), // ResourceApplier.ApplyAsync: Replace (e.g. a matchLabels an admin added to default-deny)
        new("networking.k8s.io", "networkpolicies", "delete"), // DemoTenantReconciler.PruneAsync: an allowance no longer in spec.network
        new("rbac.authorization.k8s.io", "rolebindings", "list"), // Informer (ClusterCache.RoleBindings, all bindings: foreign ones are reported)
        new("rbac.authorization.k8s.io", "rolebindings", "watch"), // Informer (ClusterCache.RoleBindings)
        new("rbac.authorization.k8s.io", "rolebindings", "create"), // ResourceApplier.ApplyAsync creating access-* and demo-workload-<role>
        new("rbac.authorization.k8s.io", "rolebindings", "patch"), // ResourceApplier.ApplyAsync
        new("rbac.authorization.k8s.io", "rolebindings", "update"), // ResourceApplier.ApplyAsync: Replace
        new("rbac.authorization.k8s.io", "rolebindings", "delete"), // PruneAsync (suspension, expired access), ExpireAsync, FinalizeAsync
        new("authorization.k8s.io", "subjectaccessreviews", "create"), // IsolationVerifier.AllowedAsync: the access matrix, as each subject
        new("rbac.authorization.k8s.io", "clusterrolebindings", "list"), // IsolationVerifier.SnapshotAsync: who is bound cluster-wide (paths)
        new("rbac.authorization.k8s.io", "clusterroles", "bind"), // writing a RoleBinding to a tenant ClusterRole or to the operator's own, resourceNames only
        new("rbac.authorization.k8s.io", "clusterroles", "get"), // IsolationVerifier.ReadClusterRoleAsync: TenantRoleDrift, the three tenant roles by name
    ];

    /// <summary>
    /// ClusterRole &lt;release&gt;-in-tenant-namespaces: never bound by the chart; the operator binds itself to it in each
    /// demo namespace (RbacBuilder.BuildOperatorBinding), so these calls work there and nowhere else.
    /// </summary>
    public static readonly IReadOnlyList<Permission> InTenantNamespacesRole =
    [
        new("apps", "deployments", "list"), // WorkloadSuspension.RunningAsync (ListNamespacedDeployment)
        new("apps", "deployments", "patch"), // WorkloadSuspension.ScaleAsync: merge patch of spec.replicas
        new("apps", "statefulsets", "list"), // WorkloadSuspension.RunningAsync (ListNamespacedStatefulSet)
        new("apps", "statefulsets", "patch"), // WorkloadSuspension.ScaleAsync: merge patch of spec.replicas
        new("apps", "replicasets", "list"), // WorkloadSuspension.RunningAsync: ReplicaSets no Deployment owns
        new("apps", "replicasets", "patch"), // WorkloadSuspension.ScaleAsync: merge patch of spec.replicas
        new("", "pods", "list"), // WorkloadSuspension.StopAsync: pods no scaled controller removes
        new("", "pods", "delete"), // WorkloadSuspension.StopAsync: bare pods and pods of Jobs
        new("", "pods", "create"), // PodSecurityProbe.CheckAsync: server-side dry run of a privileged pod (nothing stored)
        new("", "secrets", "get"), // GeneratedSecrets.ReadAsync: by name, when what was last read is older than the resync period
        new("", "secrets", "create"), // GeneratedSecrets.CreateAsync: values are generated only by a create
        new("", "secrets", "update"), // GeneratedSecrets.ReplaceAsync: rotation and new keys, with a resourceVersion precondition
        new("", "secrets", "delete"), // TenantProvisioner.PruneAsync: a marked secret no longer in spec.secrets
    ];

    /// <summary>What no rule bound to the operator may grant in every namespace: workloads, pods and what runs in them.</summary>
    private static readonly (string Group, string Resource, string[] Verbs)[] NeverClusterWide =
    [
        ("", "pods", ["create", "update", "patch", "delete", "deletecollection"]),
        ("", "pods/exec", ["create", "get"]),
        ("", "pods/attach", ["create", "get"]),
        ("", "pods/portforward", ["create", "get"]),
        ("apps", "deployments", ["create", "update", "patch", "delete", "deletecollection"]),
        ("apps", "statefulsets", ["create", "update", "patch", "delete", "deletecollection"]),
        ("apps", "daemonsets", ["create", "update", "patch", "delete", "deletecollection"]),
        ("rbac.authorization.k8s.io", "roles", ["create", "update", "patch", "escalate"]),
        ("", "secrets", ["get", "list", "watch", "create", "update", "patch", "delete"]),
    ];

    /// <summary>Role &lt;release&gt;-events in kube-system.</summary>
    public static readonly IReadOnlyList<Permission> EventsRole =
    [
        new("events.k8s.io", "events", "create"), // EventRecorder's writer (CreateNamespacedEvent in EventRecorder.EventNamespace)
        new("events.k8s.io", "events", "patch"), // EventRecorder: a repeat within the window counts on the first event's series
    ];

    /// <summary>Role &lt;release&gt;-leader-election in the release namespace (LeaseElector, via LeaderElectedRunner).</summary>
    public static readonly IReadOnlyList<Permission> LeaderElectionRole =
    [
        new("coordination.k8s.io", "leases", "create"), // LeaseElector.TryAcquireOrRenewAsync: the first replica creates it (no name to limit by)
        new("coordination.k8s.io", "leases", "get"), // LeaseElector.ReadAsync, resourceNames [operator.leaseName]
        new("coordination.k8s.io", "leases", "update"), // LeaseElector: takeover, renewal (TryRenewHeldAsync) and ReleaseAsync, resourceNames [operator.leaseName]
    ];

    /// <summary>Role &lt;release&gt;-webhook-tls in the release namespace (Admission/ServingCertificates).</summary>
    public static readonly IReadOnlyList<Permission> WebhookTlsRole =
    [
        new("", "secrets", "create"), // ServingCertificates.EnsureSecretAsync: the first replica creates the CA and serving certificate
        new("", "secrets", "get"), // ServingCertificates.ReadAsync, resourceNames [<fullname>-webhook-tls]
        new("", "secrets", "update"), // ServingCertificates.EnsureSecretAsync: renewal with a resourceVersion precondition, resourceNames [<fullname>-webhook-tls]
    ];

    /// <summary>Role &lt;release&gt;-audit in the release namespace (Audit/AuditStore, Audit/AuditKeys).</summary>
    public static readonly IReadOnlyList<Permission> AuditRole =
    [
        new("", "configmaps", "get"), // AuditStore.ReadHeadAsync / ReadTrailAsync: a trail's head and chunks by name
        new("", "configmaps", "list"), // AuditStore.ListHeadsAsync: the retention sweep, paged, in this namespace only
        new("", "configmaps", "create"), // AuditStore.AppendAsync (a trail's first write) and SealAsync (an immutable chunk)
        new("", "configmaps", "patch"), // AuditStore.AppendAsync: merge patch carrying the head's resourceVersion
        new("", "configmaps", "delete"), // AuditStore.DeleteTrailAsync: a deleted demo's trail past retention
        new("", "secrets", "create"), // AuditKeys.CreateAsync: the key Secret, on first start
        new("", "secrets", "get"), // AuditKeys.CurrentAsync, resourceNames [<fullname>-audit-key]
        new("", "secrets", "update"), // AuditKeys.RotateAsync, resourceNames [<fullname>-audit-key]
    ];

    /// <summary>ClusterRole &lt;release&gt;-webhook (Admission/WebhookRegistrar.PatchCaBundleAsync), limited to the release's configurations.</summary>
    public static readonly IReadOnlyList<Permission> WebhookConfigurationsClusterRole =
    [
        new("admissionregistration.k8s.io", "validatingwebhookconfigurations", "get"), // WebhookRegistrar: ReadValidatingWebhookConfiguration
        new("admissionregistration.k8s.io", "validatingwebhookconfigurations", "update"), // WebhookRegistrar: caBundle (ReplaceValidatingWebhookConfiguration)
        new("admissionregistration.k8s.io", "mutatingwebhookconfigurations", "get"), // WebhookRegistrar: ReadMutatingWebhookConfiguration
        new("admissionregistration.k8s.io", "mutatingwebhookconfigurations", "update"), // WebhookRegistrar: caBundle (ReplaceMutatingWebhookConfiguration)
    ];

    private static readonly string[] SelfWideningVerbs = ["escalate", "impersonate"];
    private static readonly string[] ClusterLevelResources = ["nodes"];
    private static readonly string[] BindableRoles = ["tenant-admin", "tenant-edit", "tenant-view", "tenant-guest-token-issuer", $"{FullName}-in-tenant-namespaces"];

    private static async Task<(RenderedChart Chart, IReadOnlyList<GrantedRule> Rules)> RenderAsync(params string[] args)
    {
        var chart = await RenderedChart.TemplateAsync(Release, Namespace, args);
        var rules = chart.RulesBoundTo(chart.ServiceAccountName, Namespace);
        rules.Should().NotBeEmpty("the chart binds the operator's ServiceAccount");
        return (chart, rules);
    }

    [Fact]
    public async Task No_rule_bound_to_the_operator_service_account_contains_a_wildcard()
    {
        var (_, rules) = await RenderAsync();

        rules.Where(g => new[] { g.Rule.ApiGroups, g.Rule.Resources, g.Rule.Verbs, g.Rule.ResourceNames, g.Rule.NonResourceURLs }
                .Any(list => list?.Any(v => v.Contains('*', StringComparison.Ordinal)) == true))
            .Should().BeEmpty("every permission is listed verb by verb");
    }

    [Fact]
    public async Task Operator_service_account_cannot_escalate_impersonate_or_touch_nodes_and_cluster_wide_rbac()
    {
        var (_, rules) = await RenderAsync();

        rules.Where(g => g.Rule.Verbs.Intersect(SelfWideningVerbs).Any()).Should().BeEmpty("these would let the operator grant itself anything");
        rules.Where(g => g.Rule.Resources.Any(r => ClusterLevelResources.Contains(r.Split('/')[0]))).Should().BeEmpty();
        rules.Where(g => g.Rule.NonResourceURLs is { Count: > 0 }).Should().BeEmpty();
        rules.Where(g => g.Rule.Resources.Contains("clusterrolebindings")).Should().OnlyContain(g => g.Rule.Verbs.SequenceEqual(new[] { "list" }),
            "the verifier reads who is bound cluster-wide, and nothing more");
        var clusterRoles = rules.Where(g => g.Rule.Resources.Any(r => r.StartsWith("clusterroles", StringComparison.Ordinal))).ToList();
        clusterRoles.Should().OnlyContain(g =>
                (g.Rule.Verbs.SequenceEqual(new[] { "bind" }) && g.Rule.ResourceNames != null && g.Rule.ResourceNames.SequenceEqual(BindableRoles)) ||
                (g.Rule.Verbs.SequenceEqual(new[] { "get" }) && g.Rule.ResourceNames != null && g.Rule.ResourceNames.SequenceEqual(BindableRoles.Take(4).Concat(new[] { "demotenant-editor", "demotenant-viewer" }))),
            "the operator may bind the tenant roles and its own in-namespace role by name, read the tenant roles by name, and nothing else about ClusterRoles");
    }

    [Fact]
    public async Task No_rule_bound_to_the_operator_grants_pods_exec_or_workload_writes_in_every_namespace()
    {
        var (_, rules) = await RenderAsync();

        var clusterWide = rules.Where(g => g.Namespace is null).ToList();
        var found = NeverClusterWide.SelectMany(n => n.Verbs.Select(v => (n.Group, n.Resource, Verb: v)))
            .Where(p => clusterWide.Any(g => g.Allows(p.Group, p.Resource, p.Verb, "kube-system", null)))
            .Select(p => $"{p.Group}/{p.Resource} {p.Verb}").ToList();
        found.Should().BeEmpty("a stolen operator token must not run or change workloads in kube-system");
    }

    [Fact]
    public async Task The_in_tenant_namespaces_role_is_never_bound_by_the_chart_and_holds_exactly_what_suspension_calls()
    {
        var (chart, _) = await RenderAsync();

        var found = chart.Find("ClusterRole", $"{FullName}-in-tenant-namespaces");
        found.Should().NotBeNull();
        var role = found!.As<V1ClusterRole>();
        ShouldBeExactly(role.Rules.SelectMany(Permission.Of), InTenantNamespacesRole, $"ClusterRole {FullName}-in-tenant-namespaces");
        chart.OfKind("ClusterRoleBinding").Concat(chart.OfKind("RoleBinding")).Select(o => o.As<V1RoleBinding>().RoleRef.Name)
            .Should().NotContain(role.Metadata.Name, "the operator binds it itself, in demo namespaces only");
        var env = chart.Deployment.Spec.Template.Spec.Containers.Single().Env.ToDictionary(e => e.Name, e => e.Value);
        env["Operator__TenantNamespaceRole"].Should().Be(role.Metadata.Name);
        env["Operator__Admission__OperatorUser"].Should().Be($"system:serviceaccount:{Namespace}:{chart.ServiceAccountName}");
    }

    [Fact]
    public async Task Operator_cluster_role_grants_exactly_the_calls_the_operator_code_makes()
    {
        var (chart, rules) = await RenderAsync();
        chart.Find("ClusterRole", FullName).Should().NotBeNull();

        var granted = rules.Where(g => g is { RoleKind: "ClusterRole", Namespace: null } && g.RoleName == FullName).ToList();
        granted.Should().OnlyContain(g => g.Rule.ResourceNames == null || g.Rule.ResourceNames.Count == 0 || g.Rule.Resources.SequenceEqual(new[] { "clusterroles" }),
            "only bind and get on ClusterRoles are limited by name (checked on their own above)");
        var permissions = granted.SelectMany(g => Permission.Of(g.Rule)).ToList();
        permissions.Should().OnlyHaveUniqueItems();
        ShouldBeExactly(permissions, OperatorClusterRole, $"ClusterRole {FullName}");
    }

    [Fact]
    public async Task Events_may_only_be_created_in_kube_system_and_leases_only_touched_by_name_in_the_release_namespace()
    {
        var (_, rules) = await RenderAsync();

        var events = rules.Where(g => g.RoleName == $"{FullName}-events").ToList();
        events.Should().OnlyContain(g => g.RoleKind == "Role" && g.Namespace == "kube-system");
        ShouldBeExactly(events.SelectMany(g => Permission.Of(g.Rule)), EventsRole, $"Role kube-system/{FullName}-events");

        var lease = rules.Where(g => g.RoleName == $"{FullName}-leader-election").ToList();
        lease.Should().OnlyContain(g => g.RoleKind == "Role" && g.Namespace == Namespace);
        ShouldBeExactly(lease.SelectMany(g => Permission.Of(g.Rule)), LeaderElectionRole, $"Role {Namespace}/{FullName}-leader-election");
        lease.Where(g => g.Rule.Verbs.Intersect(["get", "update"]).Any())
            .Should().OnlyContain(g => g.Rule.ResourceNames != null && g.Rule.ResourceNames.SequenceEqual(new[] { LeaseName }),
                "reads and renewals are limited to the one lease");
    }

    [Fact]
    public async Task Every_rule_bound_to_the_operator_comes_from_its_own_roles_or_the_tenant_permissions()
    {
        var (_, rules) = await RenderAsync();

        rules.Select(g => g.RoleName).Distinct().Should().BeEquivalentTo(
            FullName, $"{FullName}-events", $"{FullName}-leader-election", $"{FullName}-webhook", $"{FullName}-webhook-tls", $"{FullName}-audit");
    }

    [Fact]
    public async Task The_audit_role_is_in_the_release_namespace_and_reads_or_rotates_only_its_own_key()
    {
        var (_, rules) = await RenderAsync();

        var audit = rules.Where(g => g.RoleName == $"{FullName}-audit").ToList();
        audit.Should().OnlyContain(g => g.RoleKind == "Role" && g.Namespace == Namespace, "trails live in the release namespace, out of tenants' reach");
        ShouldBeExactly(audit.SelectMany(g => Permission.Of(g.Rule)), AuditRole, $"Role {Namespace}/{FullName}-audit");
        audit.Where(g => g.Rule.Resources.Contains("secrets") && g.Rule.Verbs.Intersect(["get", "update"]).Any())
            .Should().OnlyContain(g => g.Rule.ResourceNames != null && g.Rule.ResourceNames.SequenceEqual(new[] { $"{FullName}-audit-key" }));

        var (_, without) = await RenderAsync("--set", "audit.enabled=false");
        without.Should().NotContain(g => g.RoleName == $"{FullName}-audit");
    }

    [Fact]
    public async Task Webhook_roles_touch_only_the_releases_own_secret_and_configurations_by_name()
    {
        var (_, rules) = await RenderAsync();

        var tls = rules.Where(g => g.RoleName == $"{FullName}-webhook-tls").ToList();
        tls.Should().OnlyContain(g => g.RoleKind == "Role" && g.Namespace == Namespace, "the certificate Secret is in the release namespace only");
        ShouldBeExactly(tls.SelectMany(g => Permission.Of(g.Rule)), WebhookTlsRole, $"Role {Namespace}/{FullName}-webhook-tls");
        tls.Where(g => g.Rule.Verbs.Intersect(["get", "update"]).Any())
            .Should().OnlyContain(g => g.Rule.ResourceNames != null && g.Rule.ResourceNames.SequenceEqual(new[] { $"{FullName}-webhook-tls" }));

        var configs = rules.Where(g => g.RoleName == $"{FullName}-webhook").ToList();
        configs.Should().OnlyContain(g => g.RoleKind == "ClusterRole" && g.Rule.ResourceNames != null && g.Rule.ResourceNames.SequenceEqual(new[] { FullName }),
            "the operator writes caBundle into this release's configurations only");
        ShouldBeExactly(configs.SelectMany(g => Permission.Of(g.Rule)), WebhookConfigurationsClusterRole, $"ClusterRole {FullName}-webhook");
    }

    [Fact]
    public async Task With_cert_manager_or_without_webhooks_there_is_no_webhook_permission()
    {
        foreach (var args in new[] { new[] { "--set", "webhook.certManager.enabled=true" }, new[] { "--set", "webhook.enabled=false" } })
        {
            var (_, rules) = await RenderAsync(args);
            rules.Select(g => g.RoleName).Should().NotContain(n => n.StartsWith($"{FullName}-webhook", StringComparison.Ordinal), string.Join(" ", args));
        }
    }

    [Fact]
    public async Task Tenant_cluster_roles_are_shipped_with_exactly_the_rules_the_operator_binds_and_only_when_asked()
    {
        var (chart, _) = await RenderAsync();
        foreach (var built in RbacBuilder.BuildClusterRoles())
        {
            var found = chart.Find("ClusterRole", built.Metadata.Name);
            found.Should().NotBeNull("the chart ships {0}", built.Metadata.Name);
            var shipped = found!.As<V1ClusterRole>();
            shipped.Rules.SelectMany(Permission.Of).Should().BeEquivalentTo(built.Rules.SelectMany(Permission.Of), "{0} should match RbacBuilder", built.Metadata.Name);
            shipped.AggregationRule.Should().BeNull();
        }

        var (shared, _) = await RenderAsync("--set", "rbac.tenantRoles.create=false");
        shared.OfKind("ClusterRole").Select(o => o.Name).Should().NotContain(["tenant-admin", "tenant-edit", "tenant-view"], "a second release shares the first one's");
    }

    [Fact]
    public async Task Without_leader_election_there_is_no_lease_permission()
    {
        var (_, rules) = await RenderAsync("--set", "replicaCount=1", "--set", "operator.leaderElection=false");

        rules.SelectMany(g => Permission.Of(g.Rule)).Should().NotContain(p => p.Resource == "leases");
    }

    private static void ShouldBeExactly(IEnumerable<Permission> granted, IReadOnlyList<Permission> used, string role)
    {
        var grantedSet = granted.ToHashSet();
        grantedSet.Except(used).Select(p => p.ToString()).Should().BeEmpty("{0} should grant nothing the operator does not call (or declare the call in this test, naming the code)", role);
        used.Except(grantedSet).Select(p => p.ToString()).Should().BeEmpty("{0} should grant every call the operator makes", role);
    }
}
