using IsolationOperator.Api.V1Alpha1;
using IsolationOperator.Desired;
using IsolationOperator.Tests.Integration.Infrastructure;
using k8s;

namespace IsolationOperator.Tests.Integration.Operator;

/// <summary>A DemoTenant from samples/ becomes a namespace with every isolation object, and its status says so.</summary>
public sealed class ProvisioningTests(ControlPlaneFixture fixture) : IClassFixture<ControlPlaneFixture>, IAsyncLifetime
{
    private OperatorUnderTest _operator = null!;
    private IKubernetes Admin => fixture.Plane.AdminClient();

    public async Task InitializeAsync() => _operator = await OperatorUnderTest.StartAsync(fixture.Plane, UniqueName.For("prov"));
    public async Task DisposeAsync() => await _operator.DisposeAsync();

    [Fact]
    public async Task Both_sample_tenants_become_ready_with_the_isolation_objects()
    {
        var acme = _operator.Own(Tenants.FromSample("acme.yaml", UniqueName.For("acme")));
        var globex = _operator.Own(Tenants.FromSample("globex.yaml", UniqueName.For("globex")));
        await Tenants.CreateAsync(Admin, acme);
        await Tenants.CreateAsync(Admin, globex);

        var ready = await Tenants.WaitForPhaseAsync(Admin, acme.Metadata.Name, Phases.Ready);
        await Tenants.WaitForPhaseAsync(Admin, globex.Metadata.Name, Phases.Ready);
        var ns = acme.Spec.Namespace!;

        ready.Status!.Namespace.Should().Be(ns);
        ready.Status.ExpiresAt.Should().BeCloseTo(DateTimeOffset.UtcNow.AddHours(168), TimeSpan.FromMinutes(2));
        foreach (var type in ConditionTypes.Components.Append(ConditionTypes.Ready))
            Tenants.Condition(ready, type)!.Status.Should().Be("True", type);
        ready.Status.ManagedResources.Should().Contain(r => r.Kind == "NetworkPolicy" && r.Name == "default-deny");

        var namespaceObj = await Admin.CoreV1.ReadNamespaceAsync(ns);
        namespaceObj.Metadata.Labels.Should().Contain("pod-security.kubernetes.io/enforce", "restricted")
            .And.Contain(TenantLabels.Tenant, acme.Metadata.Name).And.Contain(TenantLabels.ManagedBy, TenantLabels.ManagedByValue);

        var policies = (await Admin.NetworkingV1.ListNamespacedNetworkPolicyAsync(ns)).Items;
        policies.Select(p => p.Metadata.Name).Should().BeEquivalentTo(
            "default-deny", "allow-same-namespace", "allow-dns", "allow-ingress-from-namespaces", "allow-egress-to-cidrs");
        var deny = policies.Single(p => p.Metadata.Name == "default-deny");
        deny.Spec.PodSelector.MatchLabels.Should().BeNullOrEmpty();
        deny.Spec.PolicyTypes.Should().BeEquivalentTo("Ingress", "Egress");
        deny.Spec.Ingress.Should().BeNullOrEmpty();
        deny.Spec.Egress.Should().BeNullOrEmpty();
        policies.Single(p => p.Metadata.Name == "allow-egress-to-cidrs").Spec.Egress[0].To[0].IpBlock.Cidr.Should().Be("203.0.113.0/24");

        (await Admin.RbacAuthorizationV1.ListNamespacedRoleAsync(ns)).Items.Should().BeEmpty("tenant roles are the chart's ClusterRoles, bound here");
        var all = (await Admin.RbacAuthorizationV1.ListNamespacedRoleBindingAsync(ns)).Items;
        all.Should().ContainSingle(b => b.Metadata.Name == RbacBuilder.OperatorBindingName, "the operator binds itself here, as the chart's operator does")
            .Which.RoleRef.Name.Should().Be(ChartPermissions.InTenantNamespacesRole);
        var bindings = all.Where(b => b.Metadata.Name != RbacBuilder.OperatorBindingName).ToList();
        bindings.Should().HaveCount(3).And.OnlyContain(b => b.RoleRef.Kind == "ClusterRole");
        bindings.Should().Contain(b => b.Subjects[0].Kind == "Group" && b.Subjects[0].Name == "prospect-acme" && b.RoleRef.Name == "tenant-edit");
        bindings.Should().Contain(b => b.Subjects[0].Kind == "User" && b.Subjects[0].Name == "se-alice" && b.RoleRef.Name == "tenant-admin");
        bindings.Should().Contain(b => b.Subjects[0].Kind == "ServiceAccount" && b.Subjects[0].Name == "demo-workload" && b.RoleRef.Name == "tenant-view"); // workloadRole defaults to view

        (await Admin.CoreV1.ReadNamespacedServiceAccountAsync("demo-workload", ns)).AutomountServiceAccountToken.Should().BeFalse();

        var quota = await Admin.CoreV1.ReadNamespacedResourceQuotaAsync("tenant-quota", ns);
        quota.Spec.Hard["pods"].ToString().Should().Be("20");
        quota.Spec.Hard["requests.cpu"].ToString().Should().Be("2");
        quota.Spec.Hard["services.loadbalancers"].ToString().Should().Be("0");
        quota.Spec.Hard["services.nodeports"].ToString().Should().Be("0");
        quota.Status.Hard.Should().ContainKey("pods", "the quota controller computed its status");
        (await Admin.CoreV1.ReadNamespacedLimitRangeAsync("tenant-limits", ns)).Spec.Limits[0].DefaultRequest.Should().ContainKey("cpu");

        var secret = await Admin.CoreV1.ReadNamespacedSecretAsync("demo-db", ns);
        secret.Data["username"].Should().HaveCount(16);
        secret.Data["password"].Should().HaveCount(32);
        ready.Status.Secrets.Should().ContainSingle(s => s.Name == "demo-db");

        var events = await Tenants.EventsOnceAsync(Admin, acme.Metadata.Name, e => e.Reason == "Provisioned", "a Provisioned event");
        var password = System.Text.Encoding.ASCII.GetString(secret.Data["password"]);
        events.Should().NotContain(e => e.Note.Contains(password), "secret values never appear in events");
        KubernetesJson.Serialize(ready.Status).Should().NotContain(password);
    }

    [Fact]
    public async Task Two_tenants_with_the_same_spec_get_different_secret_values()
    {
        var first = _operator.Own(Tenants.New(UniqueName.For("twin"), s => s.Secrets = [new SecretSpec { Name = "db", Keys = [new SecretKeySpec { Name = "password", Length = 32 }] }]));
        var second = _operator.Own(Tenants.New(UniqueName.For("twin"), s => s.Secrets = [new SecretSpec { Name = "db", Keys = [new SecretKeySpec { Name = "password", Length = 32 }] }]));
        await Tenants.CreateAsync(Admin, first);
        await Tenants.CreateAsync(Admin, second);
        await Tenants.WaitForPhaseAsync(Admin, first.Metadata.Name, Phases.Ready);
        await Tenants.WaitForPhaseAsync(Admin, second.Metadata.Name, Phases.Ready);

        var a = (await Admin.CoreV1.ReadNamespacedSecretAsync("db", first.Spec.Namespace)).Data["password"];
        var b = (await Admin.CoreV1.ReadNamespacedSecretAsync("db", second.Spec.Namespace)).Data["password"];
        a.Should().NotEqual(b);
    }

    [Fact]
    public async Task Removing_an_allowance_from_the_spec_removes_its_network_policy()
    {
        var tenant = _operator.Own(Tenants.New(UniqueName.For("net"), s => s.Network = new NetworkSpec { EgressCIDRs = ["198.51.100.0/24"] }));
        await Tenants.CreateAsync(Admin, tenant);
        await Tenants.WaitForPhaseAsync(Admin, tenant.Metadata.Name, Phases.Ready);
        await Tenants.PatchSpecAsync(Admin, tenant.Metadata.Name, new { network = new { egressCIDRs = Array.Empty<string>(), allowDNS = false } });

        await Eventually.HoldsAsync("allow-egress-to-cidrs and allow-dns removed", async () =>
        {
            var names = (await Admin.NetworkingV1.ListNamespacedNetworkPolicyAsync(tenant.Spec.Namespace)).Items.Select(p => p.Metadata.Name).ToList();
            return names.Count == 2 && names.Contains("default-deny") && names.Contains("allow-same-namespace");
        });
    }

    [Fact]
    public async Task Tenant_with_node_isolation_is_stored_as_written_and_its_namespace_carries_the_scheduler_plugin_annotations()
    {
        var tenant = _operator.Own(Tenants.New(UniqueName.For("iso"), s =>
        {
            s.Network = new NetworkSpec { AllowIngress = true };
            s.Isolation = new IsolationSpec
            {
                Nodes = new NodeIsolationSpec
                {
                    Selector = new Dictionary<string, string> { ["example.com/pool"] = "acme" },
                    Tolerations = [new k8s.Models.V1Toleration { Key = "dedicated", OperatorProperty = "Equal", Value = "acme", Effect = "NoSchedule" }],
                },
                RuntimeClassName = "gvisor",
            };
        }));
        await Tenants.CreateAsync(Admin, tenant);

        var ready = await Tenants.WaitForPhaseAsync(Admin, tenant.Metadata.Name, Phases.Ready);

        ready.Spec.Isolation!.Nodes!.Selector.Should().Equal(new Dictionary<string, string> { ["example.com/pool"] = "acme" }, "the schema keeps the fields");
        ready.Spec.Isolation.RuntimeClassName.Should().Be("gvisor");
        ready.Spec.Network!.AllowExternalName.Should().BeFalse("the schema defaults it");
        var annotations = (await Admin.CoreV1.ReadNamespaceAsync(ready.Status!.Namespace)).Metadata.Annotations;
        annotations.Should().Contain(NodeIsolation.NodeSelectorAnnotation, "example.com/pool=acme");
        annotations[NodeIsolation.DefaultTolerationsAnnotation].Should().Contain("\"key\":\"dedicated\"");
        annotations[NodeIsolation.TolerationsWhitelistAnnotation].Should().Contain("node.kubernetes.io/not-ready");
    }
}
