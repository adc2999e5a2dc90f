using IsolationOperator.Tests.Integration.Infrastructure;
using k8s.Models;

namespace IsolationOperator.Tests.Integration.Chart;

/// <summary>The chart as helm sees it, without a cluster: lint, rendering with default and other values, the schema.</summary>
public sealed class ChartRenderingTests
{
    private const string Release = "render";
    private const string Namespace = "isolation-system";

    [Fact]
    public async Task Strict_lint_passes()
    {
        var lint = await Helm.RunAsync("lint", "--strict", Helm.ChartPath);

        lint.ExitCode.Should().Be(0, lint.ToString());
        lint.Stdout.Should().Contain("0 chart(s) failed");
    }

    [Fact]
    public async Task Default_values_render_a_two_replica_hardened_deployment_with_health_and_readiness_probes()
    {
        var chart = await RenderedChart.TemplateAsync(Release, Namespace);

        var deployment = chart.Deployment;
        deployment.Metadata.NamespaceProperty.Should().Be(Namespace);
        deployment.Spec.Replicas.Should().Be(2);
        ShouldBeHardened(deployment);
        Env(deployment).Should().Contain("Operator__LeaderElection", "true").And.Contain("Operator__LeaseNamespace", Namespace)
            .And.Contain("Operator__LeaseDuration", "00:00:15").And.Contain("Operator__RenewDeadline", "00:00:10")
            .And.Contain("Operator__RetryPeriod", "00:00:02").And.NotContainKey("Operator__TenantSelector");
        chart.OfKind("ServiceMonitor").Should().BeEmpty("the ServiceMonitor is off by default");
        chart.OfKind("PodDisruptionBudget").Should().ContainSingle("two replicas get a disruption budget");
        chart.Find("ServiceAccount", chart.ServiceAccountName, Namespace).Should().NotBeNull("the chart creates the operator's ServiceAccount");
    }

    [Fact]
    public async Task Non_default_values_are_rendered_and_the_deployment_stays_hardened()
    {
        var values = await WriteValuesAsync("""
            replicaCount: 3
            serviceMonitor:
              enabled: true
              labels: {release: prometheus}
            resources:
              limits:
                memory: 512Mi
            operator:
              tenantSelector: shard=a
              maxClockSkew: "00:01:00"
              reservedNamespaces: [payments, crm]
              allowedSystemSubjects: ["Group:system:serviceaccounts:ci"]
              quotaCaps: {requests.cpu: "8", limits.memory: 32Gi}
              egressDenyCidrs: [10.244.0.0/16, 10.96.0.0/12]
              allowEgressToAnywhere: true
            """);
        try
        {
            var chart = await RenderedChart.TemplateAsync(Release, Namespace, "--values", values);

            var deployment = chart.Deployment;
            deployment.Spec.Replicas.Should().Be(3);
            var container = deployment.Spec.Template.Spec.Containers.Should().ContainSingle().Subject;
            container.Resources.Limits["memory"].ToString().Should().Be("512Mi");
            container.Resources.Requests["memory"].ToString().Should().Be("256Mi", "values merge with the defaults");
            Env(deployment).Should().Contain("Operator__TenantSelector", "shard=a")
                .And.Contain("Operator__MaxClockSkew", "00:01:00").And.Contain("Operator__NamespacePrefix", "demo-")
                .And.Contain("Operator__ReservedNamespaces__0", "payments").And.Contain("Operator__ReservedNamespaces__1", "crm")
                .And.Contain("Operator__AllowedSystemSubjects__0", "Group:system:serviceaccounts:ci")
                .And.Contain("Operator__QuotaCaps__requests.cpu", "8").And.Contain("Operator__QuotaCaps__limits.memory", "32Gi")
                .And.Contain("Operator__QuotaCaps__pods", "200", "caps not set keep the chart's defaults")
                .And.Contain("Operator__EgressDenyCidrs__0", "10.244.0.0/16").And.Contain("Operator__EgressDenyCidrs__1", "10.96.0.0/12")
                .And.Contain("Operator__AllowEgressToAnywhere", "true");
            ShouldBeHardened(deployment);

            var monitor = chart.OfKind("ServiceMonitor").Should().ContainSingle().Subject;
            monitor.ApiVersion.Should().Be("monitoring.coreos.com/v1");
            monitor.Namespace.Should().Be(Namespace);
            monitor.Yaml.Should().Contain("release: prometheus").And.Contain("path: /metrics");
        }
        finally
        {
            File.Delete(values);
        }
    }

    [Fact]
    public async Task Disruption_budget_is_policy_v1beta1_on_kubernetes_1_20_and_policy_v1_from_1_21()
    {
        var old = await RenderedChart.TemplateAsync(Release, Namespace, "--kube-version", "1.20.2");
        var current = await RenderedChart.TemplateAsync(Release, Namespace, "--kube-version", "1.21.0");

        old.OfKind("PodDisruptionBudget").Should().ContainSingle().Which.ApiVersion.Should().Be("policy/v1beta1");
        current.OfKind("PodDisruptionBudget").Should().ContainSingle().Which.ApiVersion.Should().Be("policy/v1");
    }

    [Fact]
    public async Task One_replica_renders_no_disruption_budget_that_would_block_every_drain()
    {
        var chart = await RenderedChart.TemplateAsync(Release, Namespace, "--set", "replicaCount=1");

        chart.Deployment.Spec.Replicas.Should().Be(1);
        chart.OfKind("PodDisruptionBudget").Should().BeEmpty();
    }

    [Theory]
    [InlineData("replicaCount=0", "replicaCount")]
    [InlineData("image.pullPolicy=Sometimes", "image.pullPolicy")]
    [InlineData("notAValue=1", "notAValue")]
    [InlineData("operator.resyncPeriod=10m", "operator.resyncPeriod")]
    [InlineData("operator.metricsPort=80", "operator.metricsPort")]
    [InlineData("operator.allowedSystemSubjects={Group:everyone}", "operator.allowedSystemSubjects")]
    [InlineData("operator.namespacePrefix=Demo", "operator.namespacePrefix")]
    [InlineData("admission.maxLifetime=30d", "admission.maxLifetime")]
    [InlineData("admission.enforcePodSecurity=maybe", "admission.enforcePodSecurity")]
    [InlineData("operator.quotaCaps.gpus=1", "operator.quotaCaps")]
    [InlineData("operator.quotaCaps.pods=lots", "operator.quotaCaps")]
    [InlineData("operator.egressDenyCidrs={10.96.0.0}", "operator.egressDenyCidrs")]
    public async Task Schema_rejects_a_bad_value_and_names_it(string setting, string named)
    {
        var result = await Helm.RunAsync("template", Release, Helm.ChartPath, "--namespace", Namespace, "--set", setting);

        result.ExitCode.Should().NotBe(0, result.ToString());
        result.Stderr.Should().Contain("values don't meet the specifications of the schema").And.Contain(named);
        result.Stdout.Should().BeEmpty("nothing is rendered from bad values");
    }

    [Fact]
    public async Task Admission_values_become_Operator__Admission_environment_and_the_operator_user_is_its_service_account()
    {
        var defaults = Env((await RenderedChart.TemplateAsync(Release, Namespace)).Deployment);
        defaults.Should().Contain("Operator__Admission__OperatorUser", $"system:serviceaccount:{Namespace}:{Release}-isolation-operator")
            .And.Contain("Operator__Admission__EnforcePodSecurity", "true").And.Contain("Operator__Admission__LargeProfileAdminOnly", "true")
            .And.NotContainKey("Operator__Admission__MaxLifetime").And.NotContainKey("Operator__Admission__AdminGroup");

        var values = await WriteValuesAsync("""
            admission:
              adminGroup: platform-admins
              maxLifetime: "30.00:00:00"
              maxExtension: "7.00:00:00"
              enforcePodSecurity: false
              allowedSubjectPrefixes: [prospect-, se-]
              priorityClasses: [demo-low]
              ingressClasses: [nginx]
              ingressDomain: demos.example.com
              ingressAnnotationAllowList: ["cert-manager.io/*"]
              storageClasses: [standard]
            """);
        try
        {
            var env = Env((await RenderedChart.TemplateAsync(Release, Namespace, "--values", values)).Deployment);
            env.Should().Contain("Operator__Admission__AdminGroup", "platform-admins")
                .And.Contain("Operator__Admission__MaxLifetime", "30.00:00:00").And.Contain("Operator__Admission__MaxExtension", "7.00:00:00")
                .And.Contain("Operator__Admission__EnforcePodSecurity", "false")
                .And.Contain("Operator__Admission__AllowedSubjectPrefixes__0", "prospect-").And.Contain("Operator__Admission__AllowedSubjectPrefixes__1", "se-")
                .And.Contain("Operator__Admission__PriorityClasses__0", "demo-low").And.Contain("Operator__Admission__IngressClasses__0", "nginx")
                .And.Contain("Operator__Admission__IngressDomain", "demos.example.com")
                .And.Contain("Operator__Admission__IngressAnnotationAllowList__0", "cert-manager.io/*")
                .And.Contain("Operator__Admission__StorageClasses__0", "standard");
        }
        finally
        {
            File.Delete(values);
        }
    }

    [Fact]
    public async Task Demotenant_editor_is_not_aggregated_into_edit_and_admin_unless_asked()
    {
        var byDefault = await RenderedChart.TemplateAsync(Release, Namespace);
        var editor = byDefault.Find("ClusterRole", "demotenant-editor");
        editor.Should().NotBeNull();
        editor!.Yaml.Should().NotContain("aggregate-to-edit").And.NotContain("aggregate-to-admin");
        byDefault.Find("ClusterRole", "demotenant-viewer")!.Yaml.Should().Contain("aggregate-to-view: \"true\"");

        var asked = await RenderedChart.TemplateAsync(Release, Namespace, "--set", "rbac.aggregateEditorToDefaultRoles=true");
        asked.Find("ClusterRole", "demotenant-editor")!.Yaml.Should().Contain("aggregate-to-edit: \"true\"").And.Contain("aggregate-to-admin: \"true\"");
    }

    [Fact]
    public async Task Several_replicas_without_leader_election_are_refused()
    {
        var result = await Helm.RunAsync("template", Release, Helm.ChartPath, "--namespace", Namespace,
            "--set", "replicaCount=2", "--set", "operator.leaderElection=false");

        result.ExitCode.Should().NotBe(0, result.ToString());
        result.Stderr.Should().Contain("replicaCount > 1 needs operator.leaderElection=true");
    }

    private static void ShouldBeHardened(V1Deployment deployment)
    {
        var pod = deployment.Spec.Template.Spec;
        pod.SecurityContext.RunAsNonRoot.Should().BeTrue();
        pod.SecurityContext.SeccompProfile.Type.Should().Be("RuntimeDefault");

        var container = pod.Containers.Should().ContainSingle().Subject;
        var security = container.SecurityContext;
        security.RunAsNonRoot.Should().BeTrue();
        security.ReadOnlyRootFilesystem.Should().BeTrue();
        security.AllowPrivilegeEscalation.Should().BeFalse();
        security.Privileged.Should().NotBe(true);
        security.Capabilities.Drop.Should().Equal("ALL");
        security.Capabilities.Add.Should().BeNullOrEmpty();
        security.SeccompProfile.Type.Should().Be("RuntimeDefault");

        container.Ports.Should().ContainSingle(p => p.Name == "metrics");
        container.LivenessProbe.HttpGet.Path.Should().Be("/healthz");
        container.LivenessProbe.HttpGet.Port.Value.Should().Be("metrics");
        container.StartupProbe.HttpGet.Path.Should().Be("/healthz");
        container.ReadinessProbe.HttpGet.Path.Should().Be("/readyz");
        container.ReadinessProbe.HttpGet.Port.Value.Should().Be("metrics");

        // A read-only root filesystem needs a writable /tmp for the .NET runtime.
        container.VolumeMounts.Should().ContainSingle(m => m.MountPath == "/tmp");
        pod.Volumes.Should().ContainSingle(v => v.EmptyDir != null);
    }

    private static Dictionary<string, string> Env(V1Deployment deployment) =>
        deployment.Spec.Template.Spec.Containers.Single().Env.Where(e => e.Value is not null).ToDictionary(e => e.Name, e => e.Value);

    private static async Task<string> WriteValuesAsync(string yaml)
    {
        var path = Path.Combine(Path.GetTempPath(), $"values-{Guid.NewGuid():N}.yaml");
        await File.WriteAllTextAsync(path, yaml);
        return path;
    }
}
