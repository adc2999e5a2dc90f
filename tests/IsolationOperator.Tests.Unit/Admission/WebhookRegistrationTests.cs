using System.Text;
using IsolationOperator.Admission;

namespace IsolationOperator.Tests.Unit.Admission;

public sealed class WebhookRegistrationTests
{
    private static readonly IAdmissionReviewer[] Reviewers =
    [
        new FakeReviewer("/validate-demotenant", false, WebhookScope.DemoTenants, [FakeReviewer.DemoTenants], ["CREATE", "UPDATE"]),
        new FakeReviewer("/mutate-demotenant", true, WebhookScope.DemoTenants, [FakeReviewer.DemoTenants], ["CREATE", "UPDATE"]),
        new FakeReviewer("/validate-tenant-workloads", false, WebhookScope.ManagedNamespaces,
            [new("", "v1", "pods"), new("", "v1", "services"), new("networking.k8s.io", "v1", "ingresses")], ["CREATE", "UPDATE"]),
    ];

    [Fact]
    public void Each_reviewer_becomes_one_webhook_of_its_kind_at_its_url_with_the_ca()
    {
        var v = WebhookRegistration.Validating("op-a", Reviewers, "https://127.0.0.1:9443", "CA PEM", null);
        var m = WebhookRegistration.Mutating("op-a", Reviewers, "https://127.0.0.1:9443", "CA PEM", null);

        v.Metadata.Name.Should().Be("op-a");
        v.Webhooks.Select(w => w.Name).Should().Equal("validate-demotenant.isolation.demo.dev", "validate-tenant-workloads.isolation.demo.dev");
        m.Webhooks.Select(w => w.Name).Should().Equal("mutate-demotenant.isolation.demo.dev");
        v.Webhooks[0].ClientConfig.Url.Should().Be("https://127.0.0.1:9443/validate-demotenant");
        Encoding.UTF8.GetString(m.Webhooks[0].ClientConfig.CaBundle).Should().Be("CA PEM");
        foreach (var w in v.Webhooks)
        {
            (w.FailurePolicy, w.SideEffects, w.TimeoutSeconds).Should().Be(("Fail", "None", 5));
            w.AdmissionReviewVersions.Should().Equal("v1");
        }
        (m.Webhooks[0].FailurePolicy, m.Webhooks[0].SideEffects, m.Webhooks[0].TimeoutSeconds).Should().Be(("Fail", "None", 5));
    }

    [Fact]
    public void DemoTenant_webhooks_select_the_operators_tenants_and_namespaced_ones_only_managed_namespaces()
    {
        var v = WebhookRegistration.Validating("op", Reviewers, "https://h:1", "ca", "isolation.demo.dev/test-run=r1");

        var tenants = v.Webhooks[0];
        tenants.ObjectSelector.MatchLabels.Should().Equal(new Dictionary<string, string> { ["isolation.demo.dev/test-run"] = "r1" });
        tenants.Rules.Should().ContainSingle().Which.Scope.Should().Be("Cluster");
        tenants.Rules[0].Resources.Should().Equal("demotenants");
        tenants.Rules[0].Operations.Should().Equal("CREATE", "UPDATE");

        var workloads = v.Webhooks[1];
        workloads.NamespaceSelector.MatchLabels.Should().Equal(new Dictionary<string, string> { ["app.kubernetes.io/managed-by"] = "isolation-operator" });
        workloads.Rules.Should().HaveCount(2, "one rule per API group");
        workloads.Rules.Should().OnlyContain(r => r.Scope == "Namespaced");
        workloads.Rules.Single(r => r.ApiGroups[0] == "").Resources.Should().Equal("pods", "services");
        workloads.Rules.Single(r => r.ApiGroups[0] == "networking.k8s.io").Resources.Should().Equal("ingresses");
    }

    [Fact]
    public void Without_a_tenant_selector_the_DemoTenant_webhooks_see_every_DemoTenant() =>
        WebhookRegistration.Validating("op", Reviewers, "https://h:1", "ca", null).Webhooks[0].ObjectSelector
            .Should().Match<k8s.Models.V1LabelSelector>(s => s.MatchLabels == null && s.MatchExpressions == null);

    [Theory]
    [InlineData("a=b", "a", null, "b")]
    [InlineData("a==b", "a", null, "b")]
    [InlineData("a!=b", "a", "NotIn", "b")]
    [InlineData("a in (x, y)", "a", "In", "x,y")]
    [InlineData("a notin (x)", "a", "NotIn", "x")]
    [InlineData("a", "a", "Exists", "")]
    [InlineData("!a", "a", "DoesNotExist", "")]
    public void Label_selector_strings_become_structured_selectors(string text, string key, string? op, string values)
    {
        var s = LabelSelectors.Parse(text)!;
        if (op is null) s.MatchLabels.Should().Equal(new Dictionary<string, string> { [key] = values });
        else
        {
            var r = s.MatchExpressions.Should().ContainSingle().Subject;
            (r.Key, r.OperatorProperty).Should().Be((key, op));
            (r.Values ?? []).Should().Equal(values.Length == 0 ? [] : values.Split(','));
        }
    }

    [Fact]
    public void Several_terms_are_all_required() =>
        LabelSelectors.Parse("shard=a,env in (demo,test),!legacy")!.Should().Match<k8s.Models.V1LabelSelector>(s =>
            s.MatchLabels.Count == 1 && s.MatchExpressions.Count == 2);
}
