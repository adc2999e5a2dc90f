using k8s.Models;

namespace IsolationOperator.Tests.Integration.Chart;

/// <summary>The chart's webhook configurations: all six paths, fail closed but for the operator guard, Service or base URL, cert-manager.</summary>
public sealed class WebhookChartTests
{
    private const string Release = "hook";
    private const string Namespace = "isolation-system";
    private const string FullName = "hook-isolation-operator";

    private static async Task<(V1ValidatingWebhookConfiguration V, V1MutatingWebhookConfiguration M, RenderedChart Chart)> RenderAsync(params string[] args)
    {
        var chart = await RenderedChart.TemplateAsync(Release, Namespace, args);
        return (chart.Find("ValidatingWebhookConfiguration", FullName)!.As<V1ValidatingWebhookConfiguration>(),
            chart.Find("MutatingWebhookConfiguration", FullName)!.As<V1MutatingWebhookConfiguration>(), chart);
    }

    [Fact]
    public async Task Chart_lists_all_six_webhooks_fail_closed_with_five_second_timeouts_through_the_service_but_the_guard()
    {
        var (v, m, chart) = await RenderAsync();

        v.Webhooks.Select(w => w.ClientConfig.Service.Path).Should().BeEquivalentTo("/validate-demotenant", "/validate-demotenant-policy", "/validate-tenant-workloads", "/validate-operator-requests");
        m.Webhooks.Select(w => w.ClientConfig.Service.Path).Should().BeEquivalentTo("/mutate-demotenant", "/mutate-tenant-pods");
        var guard = v.Webhooks.Single(w => w.Name == "validate-operator-requests.isolation.demo.dev");
        (guard.FailurePolicy, guard.TimeoutSeconds).Should().Be(("Ignore", 2), "the guard judges only the operator's requests; its outage must block nobody else");
        guard.Rules.SelectMany(r => r.Resources).Should().BeEquivalentTo("namespaces", "secrets", "serviceaccounts", "resourcequotas", "limitranges", "networkpolicies", "rolebindings");
        guard.Rules.Should().OnlyContain(r => r.Operations.SequenceEqual(new[] { "CREATE", "UPDATE", "DELETE" }) && r.Scope == "*");
        foreach (var (policy, timeout, effects, service) in v.Webhooks.Where(w => w != guard).Select(w => (w.FailurePolicy, w.TimeoutSeconds, w.SideEffects, w.ClientConfig.Service))
                     .Concat(m.Webhooks.Select(w => (w.FailurePolicy, w.TimeoutSeconds, w.SideEffects, w.ClientConfig.Service))))
        {
            (policy, timeout, effects).Should().Be(("Fail", 5, "None"));
            (service.Name, service.NamespaceProperty, service.Port).Should().Be(($"{FullName}-webhook", Namespace, 443));
        }
        v.Webhooks.Single(w => w.Name.StartsWith("validate-demotenant-policy", StringComparison.Ordinal)).Rules[0].Operations.Should().Equal("CREATE", "UPDATE", "DELETE");
        var workloads = v.Webhooks.Single(w => w.Name.StartsWith("validate-tenant-workloads", StringComparison.Ordinal));
        workloads.NamespaceSelector.MatchLabels.Should().Contain("app.kubernetes.io/managed-by", "isolation-operator");
        workloads.Rules.SelectMany(r => r.Resources).Should().BeEquivalentTo("pods", "services", "secrets", "persistentvolumeclaims", "ingresses");
        m.Webhooks.Single(w => w.Name.StartsWith("mutate-tenant-pods", StringComparison.Ordinal)).NamespaceSelector.MatchLabels.Should().NotBeEmpty();

        chart.Find("Service", $"{FullName}-webhook", Namespace).Should().NotBeNull();
        var env = chart.Deployment.Spec.Template.Spec.Containers.Single().Env.ToDictionary(e => e.Name, e => e.Value);
        env.Should().Contain("Operator__Webhook__Enabled", "true").And.Contain("Operator__Webhook__SelfRegister", "false")
            .And.Contain("Operator__Webhook__ConfigurationName", FullName).And.Contain("Operator__Webhook__SecretName", $"{FullName}-webhook-tls");
    }

    [Fact]
    public async Task A_base_url_replaces_the_service_for_an_operator_outside_the_cluster()
    {
        var (v, m, _) = await RenderAsync("--set", "webhook.url=https://127.0.0.1:9443/");

        v.Webhooks.Concat<object>(m.Webhooks).Should().HaveCount(6);
        v.Webhooks.Select(w => w.ClientConfig.Url).Should().Contain("https://127.0.0.1:9443/validate-demotenant");
        m.Webhooks.Should().OnlyContain(w => w.ClientConfig.Service == null && w.ClientConfig.Url.StartsWith("https://127.0.0.1:9443/mutate-", StringComparison.Ordinal));
    }

    [Fact]
    public async Task With_cert_manager_the_ca_is_injected_and_the_certificate_mounted()
    {
        var (v, m, chart) = await RenderAsync("--set", "webhook.certManager.enabled=true");

        v.Metadata.Annotations.Should().Contain("cert-manager.io/inject-ca-from", $"{Namespace}/{FullName}-webhook");
        m.Metadata.Annotations.Should().Contain("cert-manager.io/inject-ca-from", $"{Namespace}/{FullName}-webhook");
        chart.Find("Certificate", $"{FullName}-webhook", Namespace).Should().NotBeNull();
        chart.Deployment.Spec.Template.Spec.Containers.Single().Env.Should().Contain(e => e.Name == "Operator__Webhook__CertDirectory" && e.Value == "/tls");
    }

    [Fact]
    public async Task On_clusters_with_validating_admission_policies_the_operator_guard_is_also_a_policy_bound_to_deny()
    {
        var without = await RenderedChart.TemplateAsync(Release, Namespace);
        without.OfKind("ValidatingAdmissionPolicy").Should().BeEmpty("1.20 serves no ValidatingAdmissionPolicy API");

        var chart = await RenderedChart.TemplateAsync(Release, Namespace, "--api-versions", "admissionregistration.k8s.io/v1/ValidatingAdmissionPolicy");
        var policy = chart.Find("ValidatingAdmissionPolicy", $"{FullName}-operator-guard");
        policy.Should().NotBeNull();
        var yaml = policy!.Yaml;
        yaml.Should().Contain($"request.userInfo.username == 'system:serviceaccount:{Namespace}:{chart.ServiceAccountName}'")
            .And.Contain("failurePolicy: Fail").And.Contain("namespaceObject").And.Contain("rolebindings");
        chart.Find("ValidatingAdmissionPolicyBinding", $"{FullName}-operator-guard")!.Yaml.Should().Contain($"policyName: {FullName}-operator-guard").And.Contain("Deny");
    }

    [Fact]
    public async Task Webhooks_can_be_switched_off()
    {
        var chart = await RenderedChart.TemplateAsync(Release, Namespace, "--set", "webhook.enabled=false");
        chart.Objects.Should().NotContain(o => o.Kind.EndsWith("WebhookConfiguration", StringComparison.Ordinal) || o.Name.EndsWith("-webhook", StringComparison.Ordinal));
    }
}
