using System.Text.Json.Nodes;
using static IsolationOperator.Tests.Unit.Admission.Calls;
using static IsolationOperator.Tests.Unit.Admission.WorkloadTenants;

namespace IsolationOperator.Tests.Unit.Admission;

public class PodPlacementTests
{
    private static JsonObject PinnedPod() => RestrictedPod().With(p =>
    {
        p.Spec()["nodeSelector"] = new JsonObject { ["example.com/pool"] = "acme", ["tier"] = "demo", ["disk"] = "ssd" };
        p.Spec()["tolerations"] = JsonNode.Parse("""
            [{"key": "dedicated", "operator": "Equal", "value": "acme", "effect": "NoSchedule"},
             {"key": "node.kubernetes.io/not-ready", "operator": "Exists", "effect": "NoExecute", "tolerationSeconds": 300},
             {"key": "node.kubernetes.io/unreachable", "operator": "Exists", "effect": "NoExecute", "tolerationSeconds": 300}]
            """);
        p.Spec()["runtimeClassName"] = "gvisor";
    });

    [Fact]
    public void Pod_naming_its_node_is_refused()
    {
        Refusal(Namespaced("Pod", RestrictedPod().With(p => p.Spec()["nodeName"] = "node-1")))
            .Should().Contain("spec.nodeName \"node-1\" is not allowed: it skips the scheduler").And.Contain("let the scheduler place the pod");
    }

    [Fact]
    public void Pod_with_the_tolerations_every_pod_gets_is_allowed()
    {
        var pod = RestrictedPod().With(p => p.Spec()["tolerations"] = JsonNode.Parse("""
            [{"key": "node.kubernetes.io/not-ready", "operator": "Exists", "effect": "NoExecute", "tolerationSeconds": 300}]
            """));

        Review(Namespaced("Pod", pod)).Allowed.Should().BeTrue();
    }

    [Fact]
    public void Toleration_the_tenant_is_not_given_is_refused()
    {
        var pod = RestrictedPod().With(p => p.Spec()["tolerations"] = JsonNode.Parse("""[{"key": "node-role.kubernetes.io/master", "operator": "Exists", "effect": "NoSchedule"}]"""));

        Refusal(Namespaced("Pod", pod)).Should().Contain("toleration node-role.kubernetes.io/master (any value):NoSchedule is not one this demo is given (spec.isolation.nodes.tolerations: none)");
    }

    [Fact]
    public void Toleration_of_every_taint_is_refused_even_for_an_isolated_tenant()
    {
        var pod = PinnedPod().With(p => p.Spec()["tolerations"]!.AsArray().Add(JsonNode.Parse("""{"operator": "Exists"}""")));

        Refusal(Namespaced("Pod", pod), Isolated()).Should().Contain("toleration every taint is not one this demo is given")
            .And.Contain("dedicated=acme:NoSchedule");
    }

    [Fact]
    public void Pod_on_the_tenants_own_nodes_is_allowed()
    {
        Review(Namespaced("Pod", PinnedPod()), Isolated()).Allowed.Should().BeTrue();
    }

    [Fact]
    public void Pod_without_the_tenants_node_selector_is_refused()
    {
        var pod = PinnedPod().With(p => p.Spec()["nodeSelector"]!.AsObject().Remove("example.com/pool"));

        Refusal(Namespaced("Pod", pod), Isolated()).Should()
            .Contain("spec.nodeSelector must keep example.com/pool=acme: this demo runs on its own nodes (spec.isolation.nodes.selector)");
    }

    [Fact]
    public void Pod_that_points_the_tenants_selector_elsewhere_is_refused()
    {
        var pod = PinnedPod().With(p => p.Spec()["nodeSelector"]!["tier"] = "shared");

        Refusal(Namespaced("Pod", pod), Isolated()).Should().Contain("spec.nodeSelector tier=shared is not allowed").And.Contain("use tier=demo");
    }

    [Fact]
    public void Pod_without_the_tenants_runtime_class_is_refused()
    {
        Refusal(Namespaced("Pod", PinnedPod().With(p => p.Spec().Remove("runtimeClassName"))), Isolated())
            .Should().Contain("spec.runtimeClassName must be gvisor");
        Refusal(Namespaced("Pod", PinnedPod().With(p => p.Spec()["runtimeClassName"] = "runc")), Isolated())
            .Should().Contain("spec.runtimeClassName must be gvisor").And.Contain("not runc");
    }

    [Fact]
    public void Priority_class_is_refused_unless_listed()
    {
        var pod = RestrictedPod().With(p => p.Spec()["priorityClassName"] = "system-cluster-critical");

        Refusal(Namespaced("Pod", pod)).Should().Contain("spec.priorityClassName \"system-cluster-critical\" is not allowed (Operator:Admission:PriorityClasses); remove it");
        Refusal(Namespaced("Pod", pod), options: Options(o => o.PriorityClasses = ["demo-low"])).Should().Contain("use one of demo-low");
        Review(Namespaced("Pod", RestrictedPod().With(p => p.Spec()["priorityClassName"] = "demo-low")), options: Options(o => o.PriorityClasses = ["demo-low"]))
            .Allowed.Should().BeTrue();
    }

    [Fact]
    public void Pod_update_that_adds_a_foreign_toleration_is_refused()
    {
        var old = PinnedPod();
        var updated = PinnedPod().With(p => p.Spec()["tolerations"]!.AsArray().Add(JsonNode.Parse("""{"key": "gpu", "operator": "Exists"}""")));

        Refusal(Namespaced("Pod", updated, "UPDATE", old: old), Isolated()).Should().Contain("Pod web cannot be changed").And.Contain("toleration gpu (any value)");
    }

    [Fact]
    public void Update_is_refused_only_for_what_it_adds()
    {
        // A pod from before the policy (privileged, on a named node) may still lose its finalizer or change a label.
        var old = RestrictedPod().With(p => { p.App()["privileged"] = true; p.Spec()["nodeName"] = "node-1"; });
        var updated = old.DeepClone().AsObject().With(p => p["metadata"]!["labels"] = new JsonObject { ["version"] = "2" });

        Review(Namespaced("Pod", updated, "UPDATE", old: old)).Allowed.Should().BeTrue();
    }

    [Fact]
    public void Pod_create_in_a_namespace_whose_demo_is_unknown_is_refused_until_the_operator_knows_it()
    {
        var verdict = IsolationOperator.Admission.TenantWorkloadReviewer.Review(Namespaced("Pod", RestrictedPod()), null, Options());

        verdict.Allowed.Should().BeFalse();
        verdict.Message.Should().Contain("namespace demo-acme belongs to a demo the operator has not loaded yet").And.Contain("try again in a few seconds");
    }

    [Fact]
    public async Task Reviewer_looks_the_tenant_up_by_namespace()
    {
        string? asked = null;
        var reviewer = new IsolationOperator.Admission.TenantWorkloadReviewer(ns => { asked = ns; return Isolated(); }, Options());

        var verdict = await reviewer.ReviewAsync(Namespaced("Pod", RestrictedPod()), CancellationToken.None);

        asked.Should().Be(Namespace);
        verdict.Allowed.Should().BeFalse("the isolated tenant's selector is missing");
        reviewer.Path.Should().Be("/validate-tenant-workloads");
        reviewer.Mutating.Should().BeFalse();
        reviewer.Scope.Should().Be(IsolationOperator.Admission.WebhookScope.ManagedNamespaces);
        reviewer.Operations.Should().Equal("CREATE", "UPDATE");
        reviewer.Resources.Select(r => $"{r.Group}/{r.Resource}").Should().BeEquivalentTo(
            "/pods", "/pods/ephemeralcontainers", "/services", "/secrets", "/persistentvolumeclaims", "networking.k8s.io/ingresses");
    }
}
