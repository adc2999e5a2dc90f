using System.Text.Json;
using IsolationOperator.Api.V1Alpha1;
using IsolationOperator.Desired;
using IsolationOperator.Reconciliation;
using IsolationOperator.Tests.Integration.Infrastructure;
using k8s;
using k8s.Models;
using Xunit.Abstractions;

namespace IsolationOperator.Tests.Integration.Chart;

/// <summary>
/// <c>helm install</c> into a real API server, then the operator with nothing but the chart's ServiceAccount
/// permissions through a tenant's whole life; last, the audit log proves it was never refused and used only what
/// the chart grants.
/// </summary>
[TestCaseOrderer(RunsLastOrderer.TypeName, RunsLastOrderer.AssemblyName)]
public sealed class HelmInstallTests(InstalledChart chart, ITestOutputHelper output) : IClassFixture<InstalledChart>
{
    // ClusterCache: one informer (list + watch) per kind.
    private static readonly string[] InformedResources =
        ["demotenants", "namespaces", "networkpolicies", "resourcequotas", "limitranges", "serviceaccounts", "rolebindings"];

    private IKubernetes Admin => chart.Admin;

    private async Task<DemoTenant> ReadyTenantAsync(string prefix, Action<DemoTenantSpec>? spec = null)
    {
        chart.ShouldBeRunning();
        var tenant = chart.Own(Tenants.New(UniqueName.For(prefix), spec));
        await Tenants.CreateAsync(Admin, tenant);
        return await Tenants.WaitForPhaseAsync(Admin, tenant.Metadata.Name, Phases.Ready);
    }

    private async Task<bool> NamespaceExistsAsync(string ns) =>
        (await Admin.CoreV1.ListNamespaceAsync(fieldSelector: $"metadata.name={ns}")).Items.Count > 0;

    [Fact]
    public async Task Helm_install_with_default_values_deploys_the_release_into_a_new_namespace()
    {
        chart.Install.ExitCode.Should().Be(0, chart.Install.ToString());
        chart.Install.Stdout.Should().Contain("STATUS: deployed").And.Contain($"leader election on lease {chart.Options.LeaseName}");

        var status = await Helm.RunAsync("status", chart.Release, "--namespace", chart.Namespace, "--kubeconfig", chart.Plane.KubeconfigPath);
        status.ExitCode.Should().Be(0, status.ToString());
        status.Stdout.Should().Contain("STATUS: deployed");

        var sa = await Admin.CoreV1.ReadNamespacedServiceAccountAsync(chart.ServiceAccount, chart.Namespace);
        sa.AutomountServiceAccountToken.Should().BeFalse("only the operator's pods mount its token, and they ask for it");
        var deployment = await Admin.AppsV1.ReadNamespacedDeploymentAsync(chart.Manifest.Deployment.Metadata.Name, chart.Namespace);
        deployment.Spec.Template.Spec.ServiceAccountName.Should().Be(chart.ServiceAccount);
        (await Admin.RbacAuthorizationV1.ReadClusterRoleBindingAsync(chart.Manifest.Deployment.Metadata.Name)).Subjects
            .Should().ContainSingle(s => s.Kind == "ServiceAccount" && s.Name == chart.ServiceAccount && s.NamespaceProperty == chart.Namespace);
        if (!chart.Plane.IsExistingCluster)
        {
            chart.Manifest.OfKind("PodDisruptionBudget").Should().ContainSingle()
                .Which.ApiVersion.Should().Be("policy/v1beta1", "the chart picks the PDB version the 1.20 API server serves");
        }

        chart.Options.LeaderElection.Should().BeTrue();
        chart.Options.LeaseNamespace.Should().Be(chart.Namespace);
        chart.Options.LeaseName.Should().Be("isolation-operator-leader");
        chart.ShouldBeRunning();
        (await Admin.CoordinationV1.ReadNamespacedLeaseAsync(chart.Options.LeaseName, chart.Namespace)).Spec.HolderIdentity
            .Should().Be(chart.Options.Identity, "the operator took the chart's lease with the chart's permissions");
    }

    [Fact]
    public async Task Sample_tenant_becomes_Ready_with_every_condition_true()
    {
        chart.ShouldBeRunning();
        var tenant = chart.Own(Tenants.FromSample("acme.yaml", UniqueName.For("acme")));
        await Tenants.CreateAsync(Admin, tenant);

        var ready = await Tenants.WaitForPhaseAsync(Admin, tenant.Metadata.Name, Phases.Ready);

        foreach (var type in ConditionTypes.Components.Append(ConditionTypes.Ready))
            (Tenants.Condition(ready, type)?.Status).Should().Be("True", "condition {0} should be True", type);
        (Tenants.Condition(ready, ConditionTypes.Expiring)?.Status).Should().Be("False", "a week-long demo is not about to expire");
        var ns = ready.Status!.Namespace!;
        var bindings = (await Admin.RbacAuthorizationV1.ListNamespacedRoleBindingAsync(ns)).Items;
        bindings.Where(b => b.Metadata.Name != RbacBuilder.OperatorBindingName).Should().NotBeEmpty()
            .And.OnlyContain(b => b.RoleRef.Kind == "ClusterRole" && b.RoleRef.Name.StartsWith("tenant-"),
                "the operator binds the chart's tenant ClusterRoles, holding only bind on them");
        bindings.Should().ContainSingle(b => b.Metadata.Name == RbacBuilder.OperatorBindingName).Which.RoleRef.Name.Should().Be(chart.Options.TenantNamespaceRole);
        (await Admin.RbacAuthorizationV1.ListNamespacedRoleAsync(ns)).Items.Should().BeEmpty("no Role is written any more");
        (await Admin.CoreV1.ReadNamespacedSecretAsync("demo-db", ns)).Data.Keys.Should().BeEquivalentTo("username", "password");
    }

    [Fact]
    public async Task Tenant_with_a_fifteen_second_ttl_expires_and_its_namespace_is_deleted()
    {
        var tenant = await ReadyTenantAsync("ttl", s => s.Ttl = "15s");
        var ns = tenant.Status!.Namespace!;

        var expired = await Tenants.WaitForPhaseAsync(Admin, tenant.Metadata.Name, Phases.Expired, TimeSpan.FromSeconds(40));

        expired.Status!.ExpiredAt.Should().NotBeNull();
        await Eventually.HoldsAsync($"namespace {ns} gone", async () => !await NamespaceExistsAsync(ns), TimeSpan.FromSeconds(60));
    }

    [Fact]
    public async Task Suspended_then_resumed_tenant_scales_its_deployment_to_zero_and_back()
    {
        var tenant = await ReadyTenantAsync("susp", s => s.Access = [new AccessEntry { Kind = "Group", Name = "prospect", Role = "edit" }]);
        var ns = tenant.Status!.Namespace!;
        await Admin.AppsV1.CreateNamespacedDeploymentAsync(Deployment("web", 3), ns);

        await Tenants.PatchSpecAsync(Admin, tenant.Metadata.Name, new { suspended = true });
        await Tenants.WaitForPhaseAsync(Admin, tenant.Metadata.Name, Phases.Suspended);
        (await Admin.AppsV1.ReadNamespacedDeploymentAsync("web", ns)).Spec.Replicas.Should().Be(0);
        (await Admin.RbacAuthorizationV1.ListNamespacedRoleBindingAsync(ns)).Items.Select(b => b.Metadata.Name)
            .Should().Equal([RbacBuilder.OperatorBindingName], "nobody has access while suspended, but for the operator's own grant to scale workloads");

        await Tenants.PatchSpecAsync(Admin, tenant.Metadata.Name, new { suspended = false });
        await Tenants.WaitForPhaseAsync(Admin, tenant.Metadata.Name, Phases.Ready);
        var web = await Admin.AppsV1.ReadNamespacedDeploymentAsync("web", ns);
        web.Spec.Replicas.Should().Be(3);
        (await Tenants.GetAsync(Admin, tenant.Metadata.Name))!.Status!.Suspension.Should().BeNull("resume clears the recorded counts");
        (await Admin.RbacAuthorizationV1.ListNamespacedRoleBindingAsync(ns)).Items.Should().NotBeEmpty("access is restored");
    }

    [Fact]
    public async Task Default_deny_pod_selector_narrowed_by_an_admin_is_reverted()
    {
        var tenant = await ReadyTenantAsync("heal");
        var ns = tenant.Status!.Namespace!;
        var patch = JsonSerializer.Serialize(new { spec = new { podSelector = new { matchLabels = new Dictionary<string, string> { ["nobody"] = "true" } } } });

        // LabelSelector is atomic (structType=atomic): the operator's forced apply takes the whole podSelector back.
        await Admin.NetworkingV1.PatchNamespacedNetworkPolicyAsync(new V1Patch(patch, V1Patch.PatchType.MergePatch), "default-deny", ns);

        await Eventually.HoldsAsync("default-deny selects every pod again", async () =>
            (await Admin.NetworkingV1.ReadNamespacedNetworkPolicyAsync("default-deny", ns)).Spec.PodSelector.MatchLabels is null or { Count: 0 },
            TimeSpan.FromSeconds(15));
    }

    [Fact]
    public async Task Quota_entry_added_by_an_admin_is_taken_away_again_by_replacing_the_quota()
    {
        var tenant = await ReadyTenantAsync("quota");
        var ns = tenant.Status!.Namespace!;
        var patch = JsonSerializer.Serialize(new { spec = new { hard = new Dictionary<string, string> { ["count/leases.coordination.k8s.io"] = "50" } } });

        // A key no profile sets. spec.hard is a granular map: the admin's field manager owns the added key, and an
        // apply that does not name it leaves it in place. Only a replace (update) takes it away.
        await Admin.CoreV1.PatchNamespacedResourceQuotaAsync(new V1Patch(patch, V1Patch.PatchType.MergePatch), "tenant-quota", ns);

        await Eventually.HoldsAsync("the added quota entry is gone", async () =>
            !(await Admin.CoreV1.ReadNamespacedResourceQuotaAsync("tenant-quota", ns)).Spec.Hard.ContainsKey("count/leases.coordination.k8s.io"),
            TimeSpan.FromSeconds(15));
        if (!chart.Plane.IsExistingCluster)
        {
            AuditedRequest.Read(chart.Plane.AuditLogPath!, chart.UserName, chart.StartedAt)
                .Should().Contain(r => r.Verb == "update" && r.Resource == "resourcequotas" && r.Namespace == ns && r.Code == 200,
                    "the operator replaced the quota with the chart's update permission");
        }
    }

    [Fact]
    public async Task Deleted_tenant_is_removed_together_with_its_namespace()
    {
        var tenant = await ReadyTenantAsync("del");
        var ns = tenant.Status!.Namespace!;

        await Tenants.DeleteAsync(Admin, tenant.Metadata.Name);

        await Eventually.HoldsAsync("DemoTenant gone", async () => await Tenants.GetAsync(Admin, tenant.Metadata.Name) is null, TimeSpan.FromSeconds(60));
        (await NamespaceExistsAsync(ns)).Should().BeFalse("the finalizer is released only once the namespace is gone");
    }

    [LocalPlaneFact]
    [RunsLast]
    public async Task Service_account_was_never_refused_and_used_only_what_the_chart_grants()
    {
        chart.ShouldBeRunning();
        // This API server audits a watch only when it ends: stop the operator, then wait for its watches to show.
        await chart.StopOperatorAsync();
        var requests = await Eventually.GetAsync("the operator's watches in the audit log", () =>
        {
            var all = AuditedRequest.Read(chart.Plane.AuditLogPath!, chart.UserName, chart.StartedAt);
            return Task.FromResult(all.Where(r => r.Verb == "watch").Select(r => r.RbacResource).Distinct().Count() >= InformedResources.Length ? all : null);
        }, TimeSpan.FromSeconds(15));

        requests.Where(r => r.Code == 403).Select(r => r.ToString()).Should().BeEmpty("the chart grants everything the operator calls");
        // The one non-resource request: /version, whose Date header is the API server's clock before an expiry
        // (readable by every authenticated user through system:public-info-viewer; nothing to grant).
        requests.Where(r => r.Resource is null && !r.RequestUri.StartsWith("/version", StringComparison.Ordinal)).Select(r => r.ToString()).Should()
            .BeEmpty("the operator makes only resource requests besides reading the server's clock");

        // What the operator binds itself to in each demo namespace counts as granted there, and only there.
        var inTenants = chart.Manifest.Find("ClusterRole", chart.Options.TenantNamespaceRole!)!.As<V1ClusterRole>().Rules;
        var tenantNamespaces = requests.Where(r => r.Namespace?.StartsWith(chart.Options.NamespacePrefix, StringComparison.Ordinal) == true).Select(r => r.Namespace!).Distinct();
        var granted = chart.Manifest.RulesBoundTo(chart.ServiceAccount, chart.Namespace)
            .Concat(tenantNamespaces.SelectMany(ns => inTenants.Select(rule => new GrantedRule("ClusterRole", chart.Options.TenantNamespaceRole!, ns, rule)))).ToList();
        var own = granted;
        var exercised = new HashSet<Permission>();
        var notGranted = new List<string>();
        var onlyAsTenantPermission = new List<string>();
        foreach (var r in requests.Where(r => r.Resource is not null))
        {
            // RBAC sees no name on create, list and watch; a server-side apply that creates (201) is authorized as create too.
            var name = r.Verb is "create" or "list" or "watch" ? null : r.Name;
            var asked = new List<(string Verb, string? Name)> { (r.Verb, name) };
            if (r is { Verb: "patch", Code: 201 }) asked.Add(("create", null));
            foreach (var (verb, n) in asked)
            {
                exercised.Add(new Permission(r.Group!, r.RbacResource!, verb));
                if (!granted.Any(g => g.Allows(r.Group!, r.RbacResource!, verb, r.Namespace, n))) notGranted.Add($"{r} (as {verb})");
                else if (!own.Any(g => g.Allows(r.Group!, r.RbacResource!, verb, r.Namespace, n))) onlyAsTenantPermission.Add($"{r} (as {verb})");
            }
        }

        notGranted.Distinct().Should().BeEmpty("every request of the operator is granted by the chart");
        onlyAsTenantPermission.Distinct().Should().BeEmpty(
            "what the operator calls belongs in its own roles, not only in the tenant permissions it holds for RBAC escalation prevention");

        var grantedOwn = own.SelectMany(g => Permission.Of(g.Rule).Select(p => (Role: g.RoleName, Permission: p))).ToList();
        var unused = grantedOwn.Where(g => !exercised.Contains(g.Permission)).Select(g => $"{g.Permission} ({g.Role})").Distinct().ToList();
        output.WriteLine($"{requests.Count} requests by {chart.UserName}; {exercised.Count} permissions exercised:");
        foreach (var p in exercised.Select(p => p.ToString()).Order(StringComparer.Ordinal)) output.WriteLine($"  used   {p}");
        output.WriteLine($"{unused.Count} of {grantedOwn.Count} granted permissions of the operator's own roles were never exercised:");
        foreach (var u in unused.Order(StringComparer.Ordinal)) output.WriteLine($"  unused {u}");
    }

    private static V1Deployment Deployment(string name, int replicas)
    {
        var labels = new Dictionary<string, string> { ["app"] = name };
        return new V1Deployment
        {
            Metadata = new V1ObjectMeta { Name = name },
            Spec = new V1DeploymentSpec
            {
                Replicas = replicas,
                Selector = new V1LabelSelector { MatchLabels = labels },
                Template = new V1PodTemplateSpec
                {
                    Metadata = new V1ObjectMeta { Labels = labels },
                    Spec = new V1PodSpec { Containers = [new V1Container { Name = name, Image = "registry.invalid/demo:1" }] },
                },
            },
        };
    }
}
