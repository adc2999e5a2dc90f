using System.Text.Json.Nodes;
using IsolationOperator.Admission;
using static IsolationOperator.Tests.Unit.Admission.Calls;
using static IsolationOperator.Tests.Unit.Admission.WorkloadTenants;

namespace IsolationOperator.Tests.Unit.Admission;

public class TenantPodMutatorTests
{
    private static IReadOnlyList<(string Op, string Path, string? Value)> Ops(AdmissionVerdict verdict) =>
        verdict.Patch!.Select(p => (p.Op, p.Path, p.Value?.ToJsonString())).ToList();

    [Fact]
    public void Pod_of_an_isolated_tenant_gets_its_selector_tolerations_and_runtime_class()
    {
        var verdict = TenantPodMutator.Review(Namespaced("Pod", RestrictedPod()), Isolated());

        verdict.Allowed.Should().BeTrue();
        Ops(verdict).Should().Equal(
            ("add", "/spec/nodeSelector", """{"example.com/pool":"acme","tier":"demo"}"""),
            ("add", "/spec/tolerations", """[{"effect":"NoSchedule","key":"dedicated","operator":"Equal","value":"acme"}]"""),
            ("add", "/spec/runtimeClassName", "\"gvisor\""));
        verdict.Warnings.Should().BeNull();
    }

    [Fact]
    public void Selector_keys_with_a_slash_are_escaped_in_the_patch_path()
    {
        var pod = RestrictedPod().With(p =>
        {
            p.Spec()["nodeSelector"] = new JsonObject { ["disk"] = "ssd" };
            p.Spec()["tolerations"] = JsonNode.Parse("""[{"key": "x", "operator": "Exists"}]""");
        });

        var verdict = TenantPodMutator.Review(Namespaced("Pod", pod), Isolated());

        Ops(verdict).Should().Equal(
            ("add", "/spec/nodeSelector/example.com~1pool", "\"acme\""),
            ("add", "/spec/nodeSelector/tier", "\"demo\""),
            ("add", "/spec/tolerations/-", """{"effect":"NoSchedule","key":"dedicated","operator":"Equal","value":"acme"}"""),
            ("add", "/spec/runtimeClassName", "\"gvisor\""));
    }

    [Fact]
    public void Json_pointer_escapes_tilde_before_slash()
    {
        JsonPointer.Escape("a~b/c").Should().Be("a~0b~1c");
        JsonPointer.Of("spec", "nodeSelector", "kubernetes.io/hostname").Should().Be("/spec/nodeSelector/kubernetes.io~1hostname");
    }

    [Fact]
    public void Conflicting_selector_value_and_runtime_class_are_replaced_with_a_warning()
    {
        var pod = RestrictedPod().With(p =>
        {
            p.Spec()["nodeSelector"] = new JsonObject { ["tier"] = "shared", ["example.com/pool"] = "acme" };
            p.Spec()["runtimeClassName"] = "runc";
        });

        var verdict = TenantPodMutator.Review(Namespaced("Pod", pod), Isolated());

        Ops(verdict).Should().Contain(("add", "/spec/nodeSelector/tier", "\"demo\"")).And.Contain(("add", "/spec/runtimeClassName", "\"gvisor\""));
        verdict.Warnings.Should().Contain(w => w.Contains("tier=shared was replaced by tier=demo")).And.Contain(w => w.Contains("runc was replaced by gvisor"));
    }

    [Fact]
    public void Pod_that_already_carries_everything_gets_no_patch()
    {
        var pod = RestrictedPod().With(p =>
        {
            p.Spec()["nodeSelector"] = new JsonObject { ["tier"] = "demo", ["example.com/pool"] = "acme" };
            p.Spec()["tolerations"] = JsonNode.Parse("""[{"key": "dedicated", "operator": "Equal", "value": "acme", "effect": "NoSchedule"}]""");
            p.Spec()["runtimeClassName"] = "gvisor";
        });

        var verdict = TenantPodMutator.Review(Namespaced("Pod", pod), Isolated());

        verdict.Allowed.Should().BeTrue();
        verdict.Patch.Should().BeNull();
    }

    [Fact]
    public void Pod_of_a_tenant_without_isolation_or_unknown_tenant_is_left_alone()
    {
        TenantPodMutator.Review(Namespaced("Pod", RestrictedPod()), Plain()).Patch.Should().BeNull();
        TenantPodMutator.Review(Namespaced("Pod", RestrictedPod()), null).Patch.Should().BeNull();
    }

    [Fact]
    public void Mutated_pod_passes_the_placement_rules()
    {
        var call = Namespaced("Pod", RestrictedPod());
        var patch = TenantPodMutator.Review(call, Isolated()).Patch!;
        var pod = RestrictedPod();
        foreach (var op in patch)
        {
            var segments = op.Path.Trim('/').Split('/').Select(s => s.Replace("~1", "/").Replace("~0", "~")).ToArray();
            JsonNode parent = pod;
            foreach (var s in segments[..^1]) parent = parent[s]!;
            if (segments[^1] == "-") parent.AsArray().Add(op.Value!.DeepClone());
            else parent[segments[^1]] = op.Value!.DeepClone();
        }

        Review(Namespaced("Pod", pod), Isolated()).Allowed.Should().BeTrue();
    }

    [Fact]
    public async Task Mutator_is_a_mutating_webhook_for_pod_creation_in_tenant_namespaces()
    {
        var mutator = new TenantPodMutator(_ => Isolated(), Options());

        mutator.Path.Should().Be("/mutate-tenant-pods");
        mutator.Mutating.Should().BeTrue();
        mutator.Scope.Should().Be(WebhookScope.ManagedNamespaces);
        mutator.Resources.Should().Equal(new WebhookResource("", "v1", "pods"));
        mutator.Operations.Should().Equal("CREATE");
        (await mutator.ReviewAsync(Namespaced("Pod", RestrictedPod()), CancellationToken.None)).Patch.Should().NotBeEmpty();
        (await mutator.ReviewAsync(Namespaced("Pod", RestrictedPod(), "UPDATE", old: RestrictedPod()), CancellationToken.None)).Patch.Should().BeNull();
    }
}
