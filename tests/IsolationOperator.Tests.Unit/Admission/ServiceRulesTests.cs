using System.Text.Json.Nodes;
using static IsolationOperator.Tests.Unit.Admission.Calls;
using static IsolationOperator.Tests.Unit.Admission.WorkloadTenants;

namespace IsolationOperator.Tests.Unit.Admission;

public class ServiceRulesTests
{
    [Fact]
    public void ClusterIP_service_is_allowed()
    {
        Review(Namespaced("Service", Service())).Allowed.Should().BeTrue();
    }

    [Fact]
    public void Service_with_externalIPs_is_refused_in_a_tenant_namespace()
    {
        var service = Service().With(s => s.Spec()["externalIPs"] = new JsonArray("8.8.8.8"));

        Refusal(Namespaced("Service", service)).Should().Contain("Service web cannot be created in demo namespace demo-acme")
            .And.Contain("spec.externalIPs is not allowed").And.Contain("CVE-2020-8554").And.Contain("use a ClusterIP Service");
    }

    [Theory]
    [InlineData("NodePort")]
    [InlineData("LoadBalancer")]
    public void NodePort_and_LoadBalancer_services_are_refused(string type)
    {
        Refusal(Namespaced("Service", Service(type))).Should().Contain($"type {type} is not allowed").And.Contain("use type ClusterIP");
    }

    [Fact]
    public void ExternalName_service_is_refused_unless_the_tenant_allows_it()
    {
        var service = Service("ExternalName").With(s => s.Spec()["externalName"] = "db.example.com");

        Refusal(Namespaced("Service", service)).Should().Contain("type ExternalName is off for this demo (spec.network.allowExternalName)")
            .And.Contain("ask the demo's owner (alice@vendor.example) to set spec.network.allowExternalName: true");
    }

    [Fact]
    public void ExternalName_service_is_allowed_when_the_tenant_allows_it()
    {
        var service = Service("ExternalName").With(s => s.Spec()["externalName"] = "db.example.com");

        Review(Namespaced("Service", service), Plain(s => s.Network = new() { AllowExternalName = true })).Allowed.Should().BeTrue();
    }
}
