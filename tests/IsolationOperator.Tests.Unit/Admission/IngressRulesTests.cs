using System.Text.Json.Nodes;
using IsolationOperator.Admission;
using static IsolationOperator.Tests.Unit.Admission.Calls;
using static IsolationOperator.Tests.Unit.Admission.WorkloadTenants;

namespace IsolationOperator.Tests.Unit.Admission;

public class IngressRulesTests
{
    private static readonly IsolationOperator.Api.V1Alpha1.DemoTenant Open = Plain(s => s.Network = new() { AllowIngress = true });

    private static AdmissionOptions Domain(Action<AdmissionOptions>? change = null) => Options(o =>
    {
        o.IngressDomain = "demos.example.com";
        change?.Invoke(o);
    });

    private static AdmissionCall Call(JsonObject ingress) => Namespaced("Ingress", ingress, group: "networking.k8s.io");

    [Fact]
    public void Ingress_is_refused_unless_the_tenant_opts_in()
    {
        Refusal(Call(Ingress()), options: Domain()).Should().Contain("Ingresses are off for this demo (spec.network.allowIngress)")
            .And.Contain("to set spec.network.allowIngress: true");
    }

    [Fact]
    public void Ingress_under_the_tenants_domain_is_allowed_when_the_tenant_opts_in()
    {
        Review(Call(Ingress()), Open, Domain()).Allowed.Should().BeTrue();
        Review(Call(Ingress("demo-acme.demos.example.com")), Open, Domain()).Allowed.Should().BeTrue();
        Review(Call(Ingress("*.demo-acme.demos.example.com")), Open, Domain()).Allowed.Should().BeTrue();
    }

    [Theory]
    [InlineData("shop.example.com")]
    [InlineData("app.demo-other.demos.example.com")]
    [InlineData("demo-acme.demos.example.com.evil.com")]
    [InlineData("xdemo-acme.demos.example.com")]
    public void Host_outside_the_tenants_domain_is_refused_with_the_domain_to_use(string host)
    {
        Refusal(Call(Ingress(host)), Open, Domain()).Should()
            .Contain($"host \"{host}\" is not under this demo's domain demo-acme.demos.example.com (Operator:Admission:IngressDomain)")
            .And.Contain("such as app.demo-acme.demos.example.com");
    }

    [Fact]
    public void Tls_hosts_must_be_under_the_tenants_domain_too()
    {
        var ingress = Ingress().With(i => i.Spec()["tls"] = JsonNode.Parse("""[{"hosts": ["www.bank.example"], "secretName": "tls"}]"""));

        Refusal(Call(ingress), Open, Domain()).Should().Contain("spec.tls: host \"www.bank.example\" is not under");
    }

    [Fact]
    public void Rule_without_host_and_default_backend_are_refused()
    {
        var ingress = Ingress().With(i =>
        {
            i.Spec()["rules"]![0]!.AsObject().Remove("host");
            i.Spec()["defaultBackend"] = JsonNode.Parse("""{"service": {"name": "web", "port": {"number": 80}}}""");
        });

        Refusal(Call(ingress), Open, Domain()).Should().Contain("a rule without a host is not allowed").And.Contain("a default backend is not allowed");
    }

    [Fact]
    public void Without_an_ingress_domain_no_host_is_allowed()
    {
        Refusal(Call(Ingress()), Open).Should().Contain("no ingress domain is configured for demos (Operator:Admission:IngressDomain)");
    }

    [Fact]
    public void Ingress_class_must_come_from_the_allow_list()
    {
        var named = Ingress().With(i => i.Spec()["ingressClassName"] = "internal");

        Refusal(Call(named), Open, Domain()).Should().Contain("spec.ingressClassName \"internal\" is not allowed (Operator:Admission:IngressClasses); remove it to use the cluster's default ingress class");
        Refusal(Call(named), Open, Domain(o => o.IngressClasses = ["nginx"])).Should().Contain("use one of nginx");
        Review(Call(Ingress().With(i => i.Spec()["ingressClassName"] = "nginx")), Open, Domain(o => o.IngressClasses = ["nginx"])).Allowed.Should().BeTrue();
        Refusal(Call(Ingress().With(i => i["metadata"]!["annotations"] = new JsonObject { ["kubernetes.io/ingress.class"] = "internal" })), Open, Domain(o => o.IngressClasses = ["nginx"]))
            .Should().Contain("annotation kubernetes.io/ingress.class \"internal\" is not allowed");
    }

    [Fact]
    public void Controller_annotations_outside_the_allow_list_are_refused()
    {
        var ingress = Ingress().With(i => i["metadata"]!["annotations"] = new JsonObject { ["nginx.ingress.kubernetes.io/rewrite-target"] = "/" });

        Refusal(Call(ingress), Open, Domain()).Should().Contain("annotation nginx.ingress.kubernetes.io/rewrite-target is not allowed (Operator:Admission:IngressAnnotationAllowList)");
        Review(Call(ingress), Open, Domain(o => o.IngressAnnotationAllowList = ["nginx.ingress.kubernetes.io/rewrite-target"])).Allowed.Should().BeTrue();
        Review(Call(ingress), Open, Domain(o => o.IngressAnnotationAllowList = ["nginx.ingress.kubernetes.io/*"])).Allowed.Should().BeTrue();
    }

    [Theory]
    [InlineData("nginx.ingress.kubernetes.io/configuration-snippet")]
    [InlineData("nginx.ingress.kubernetes.io/server-snippet")]
    [InlineData("nginx.ingress.kubernetes.io/auth-url")]
    [InlineData("nginx.ingress.kubernetes.io/mirror-target")]
    [InlineData("nginx.ingress.kubernetes.io/auth-tls-secret")]
    public void Dangerous_nginx_annotations_are_refused_even_when_allow_listed(string annotation)
    {
        var ingress = Ingress().With(i => i["metadata"]!["annotations"] = new JsonObject { [annotation] = "x" });

        Refusal(Call(ingress), Open, Domain(o => o.IngressAnnotationAllowList = ["nginx.ingress.kubernetes.io/*"]))
            .Should().Contain($"annotation {annotation} is never allowed on a demo's Ingress");
    }

    [Fact]
    public void Kubectl_and_unprefixed_annotations_are_always_allowed()
    {
        var ingress = Ingress().With(i => i["metadata"]!["annotations"] = new JsonObject
        {
            ["kubectl.kubernetes.io/last-applied-configuration"] = "{}",
            ["description"] = "demo shop",
        });

        Review(Call(ingress), Open, Domain()).Allowed.Should().BeTrue();
    }
}
