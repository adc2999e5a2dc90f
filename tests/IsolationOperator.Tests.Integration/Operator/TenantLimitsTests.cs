using System.Net;
using IsolationOperator.Api.V1Alpha1;
using IsolationOperator.Desired;
using IsolationOperator.Tests.Integration.Infrastructure;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace IsolationOperator.Tests.Integration.Operator;

/// <summary>Issue 12 part 3: what a demo may ask for is capped, and what it gets is limited, on the real API server.</summary>
public sealed class TenantLimitsTests(ControlPlaneFixture fixture) : IClassFixture<ControlPlaneFixture>, IAsyncLifetime
{
    private OperatorUnderTest _operator = null!;
    private IKubernetes Admin => fixture.Plane.AdminClient();

    public async Task InitializeAsync() => _operator = await OperatorUnderTest.StartAsync(fixture.Plane, UniqueName.For("limits"));
    public async Task DisposeAsync() => await _operator.DisposeAsync();

    [Fact]
    public async Task Quota_override_above_the_cap_is_refused_with_the_cap_named()
    {
        var tenant = _operator.Own(Tenants.New(UniqueName.For("greedy"), s => s.Quota = new Dictionary<string, IntOrString> { ["requests.cpu"] = "100000" }));
        await Tenants.CreateAsync(Admin, tenant);

        var failed = await Tenants.WaitForPhaseAsync(Admin, tenant.Metadata.Name, Phases.Failed);
        Tenants.Condition(failed, ConditionTypes.Ready)!.Message.Should()
            .Contain("spec.quota.requests.cpu").And.Contain("100000").And.Contain("(16)").And.Contain("quotaCaps");
        var act = () => Admin.CoreV1.ReadNamespaceAsync(tenant.Spec.Namespace);
        (await act.Should().ThrowAsync<HttpOperationException>()).Which.Response.StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Egress_to_the_metadata_service_and_to_anywhere_is_refused()
    {
        var metadata = _operator.Own(Tenants.New(UniqueName.For("imds"), s => s.Network = new NetworkSpec { EgressCIDRs = ["169.254.169.254/32"] }));
        var anywhere = _operator.Own(Tenants.New(UniqueName.For("open"), s => s.Network = new NetworkSpec { EgressCIDRs = ["0.0.0.0/0"] }));
        var wide = _operator.Own(Tenants.New(UniqueName.For("wide"), s => s.Network = new NetworkSpec { EgressCIDRs = ["169.0.0.0/8"] }));
        await Tenants.CreateAsync(Admin, metadata);
        await Tenants.CreateAsync(Admin, anywhere);
        await Tenants.CreateAsync(Admin, wide);

        Tenants.Condition(await Tenants.WaitForPhaseAsync(Admin, metadata.Metadata.Name, Phases.Failed), ConditionTypes.Ready)!.Message
            .Should().Contain("169.254.169.254/32").And.Contain("metadata service");
        Tenants.Condition(await Tenants.WaitForPhaseAsync(Admin, anywhere.Metadata.Name, Phases.Failed), ConditionTypes.Ready)!.Message
            .Should().Contain("0.0.0.0/0").And.Contain("Operator__AllowEgressToAnywhere");

        // A wider range is allowed, with the metadata range cut out of it: the API server accepts the except.
        await Tenants.WaitForPhaseAsync(Admin, wide.Metadata.Name, Phases.Ready);
        var block = (await Admin.NetworkingV1.ReadNamespacedNetworkPolicyAsync(NetworkPolicyBuilder.AllowEgressToCidrs, wide.Spec.Namespace)).Spec.Egress[0].To[0].IpBlock;
        block.Cidr.Should().Be("169.0.0.0/8");
        block.Except.Should().Equal("169.254.0.0/16");
    }

    [Fact]
    public async Task Tenant_quota_carries_ephemeral_storage_and_object_counts()
    {
        var tenant = _operator.Own(Tenants.New(UniqueName.For("counts")));
        await Tenants.CreateAsync(Admin, tenant);
        var ready = await Tenants.WaitForPhaseAsync(Admin, tenant.Metadata.Name, Phases.Ready);
        Tenants.Condition(ready, ConditionTypes.QuotaEnforced)!.Status.Should().Be("True");
        var ns = tenant.Spec.Namespace!;

        string[] keys =
        [
            "requests.ephemeral-storage", "limits.ephemeral-storage",
            "count/deployments.apps", "count/replicasets.apps", "count/statefulsets.apps", "count/jobs.batch", "count/cronjobs.batch",
            "count/ingresses.networking.k8s.io", "count/ingresses.extensions", "count/poddisruptionbudgets.policy",
            "count/horizontalpodautoscalers.autoscaling",
        ];
        await Eventually.HoldsAsync("the quota controller enforces every key", async () =>
        {
            var quota = await Admin.CoreV1.ReadNamespacedResourceQuotaAsync(QuotaBuilder.QuotaName, ns);
            return keys.All(k => quota.Spec.Hard.ContainsKey(k) && quota.Status?.Hard?.ContainsKey(k) == true && quota.Status?.Used?.ContainsKey(k) == true);
        });
        var limits = (await Admin.CoreV1.ReadNamespacedLimitRangeAsync(QuotaBuilder.LimitRangeName, ns)).Spec.Limits[0];
        limits.DefaultProperty.Should().ContainKey("ephemeral-storage");
        limits.DefaultRequest.Should().ContainKey("ephemeral-storage");

        // An object count is really enforced: the small profile's 10 Deployments, the 11th refused by quota.
        for (var i = 0; i < 10; i++) await Admin.AppsV1.CreateNamespacedDeploymentAsync(Deployment($"d{i}"), ns);
        var eleventh = () => Admin.AppsV1.CreateNamespacedDeploymentAsync(Deployment("d10"), ns);
        (await eleventh.Should().ThrowAsync<HttpOperationException>()).Which.Response.Content.Should()
            .Contain("exceeded quota").And.Contain("count/deployments.apps");
    }

    [Fact]
    public async Task Pod_with_system_node_critical_priority_is_refused_in_a_tenant_namespace_by_quota()
    {
        var tenant = _operator.Own(Tenants.New(UniqueName.For("prio")));
        await Tenants.CreateAsync(Admin, tenant);
        await Tenants.WaitForPhaseAsync(Admin, tenant.Metadata.Name, Phases.Ready);
        var ns = tenant.Spec.Namespace!;
        (await Admin.CoreV1.ReadNamespacedResourceQuotaAsync(CriticalPriorityQuota.Name, ns)).Status.Hard.Should().ContainKey("pods");

        var critical = Pod("critical", "system-node-critical");
        var act = () => Admin.CoreV1.CreateNamespacedPodAsync(critical, ns);
        var refusal = (await act.Should().ThrowAsync<HttpOperationException>()).Which;
        refusal.Response.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        refusal.Response.Content.Should().Contain("exceeded quota: " + CriticalPriorityQuota.Name);

        // An ordinary pod in the same namespace is admitted: only the critical classes are held at zero.
        await Admin.CoreV1.CreateNamespacedPodAsync(Pod("ordinary", null), ns);
    }

    private static V1Pod Pod(string name, string? priorityClass) => new()
    {
        Metadata = new V1ObjectMeta { Name = name },
        Spec = new V1PodSpec { PriorityClassName = priorityClass, Containers = [new V1Container { Name = "c", Image = "registry.invalid/demo:1" }] },
    };

    private static V1Deployment Deployment(string name) => new()
    {
        Metadata = new V1ObjectMeta { Name = name },
        Spec = new V1DeploymentSpec
        {
            Replicas = 0,
            Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = name } },
            Template = new V1PodTemplateSpec
            {
                Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { ["app"] = name } },
                Spec = new V1PodSpec { Containers = [new V1Container { Name = "c", Image = "registry.invalid/demo:1" }] },
            },
        },
    };
}
