using System.Text.Json.Nodes;
using static IsolationOperator.Tests.Unit.Admission.Calls;
using static IsolationOperator.Tests.Unit.Admission.WorkloadTenants;

namespace IsolationOperator.Tests.Unit.Admission;

public class PodSecurityTests
{
    private static string Refused(Action<JsonObject> change) => Refusal(Namespaced("Pod", RestrictedPod().With(change)));

    private static JsonObject Container(string name) => (JsonObject)JsonNode.Parse("""
        {"name": "@name@", "image": "busybox",
         "securityContext": {"allowPrivilegeEscalation": false, "capabilities": {"drop": ["ALL"]}}}
        """.Replace("@name@", name))!;

    [Fact]
    public void Restricted_pod_is_allowed_in_a_tenant_namespace()
    {
        Review(Namespaced("Pod", RestrictedPod())).Allowed.Should().BeTrue();
    }

    [Fact]
    public void Privileged_pod_is_refused_in_a_tenant_namespace()
    {
        Refused(p => p.App()["privileged"] = true).Should().Contain("Pod web cannot be created in demo namespace demo-acme")
            .And.Contain("Pod Security restricted: container \"app\" runs privileged").And.Contain("remove securityContext.privileged");
    }

    [Fact]
    public void HostPath_pod_is_refused_in_a_tenant_namespace()
    {
        Refused(p => p.Spec()["volumes"]!.AsArray().Add(JsonNode.Parse("""{"name": "root", "hostPath": {"path": "/"}}""")))
            .Should().Contain("volume \"root\" is a hostPath volume").And.Contain("use an emptyDir or a persistentVolumeClaim");
    }

    [Theory]
    [InlineData("nfs", """{"server": "10.0.0.1", "path": "/"}""")]
    [InlineData("gitRepo", """{"repository": "https://example.com/x.git"}""")]
    [InlineData("iscsi", """{"targetPortal": "10.0.0.1:3260", "iqn": "iqn.x", "lun": 0}""")]
    public void Volume_types_outside_the_restricted_list_are_refused(string type, string source)
    {
        Refused(p => p.Spec()["volumes"]!.AsArray().Add(new JsonObject { ["name"] = "v", [type] = JsonNode.Parse(source) }))
            .Should().Contain($"volume \"v\" of type {type} is not allowed").And.Contain("use one of configMap, csi, downwardAPI, emptyDir");
    }

    [Fact]
    public void Allowed_volume_types_pass()
    {
        var pod = RestrictedPod().With(p => p.Spec()["volumes"] = JsonNode.Parse("""
            [{"name": "a", "secret": {"secretName": "s"}}, {"name": "b", "persistentVolumeClaim": {"claimName": "c"}},
             {"name": "c", "projected": {"sources": []}}, {"name": "d", "downwardAPI": {"items": []}},
             {"name": "e", "csi": {"driver": "x"}}, {"name": "f", "ephemeral": {"volumeClaimTemplate": {"spec": {}}}}]
            """));

        Review(Namespaced("Pod", pod)).Allowed.Should().BeTrue();
    }

    [Theory]
    [InlineData("hostNetwork", "network")]
    [InlineData("hostPID", "processes")]
    [InlineData("hostIPC", "inter-process communication")]
    public void Host_namespaces_are_refused(string field, string what)
    {
        Refused(p => p.Spec()[field] = true).Should().Contain($"spec.{field}: true shares the node's {what}");
    }

    [Fact]
    public void HostPort_is_refused()
    {
        Refused(p => p.Spec()["containers"]![0]!["ports"]![0]!["hostPort"] = 80)
            .Should().Contain("container \"app\" uses hostPort 80").And.Contain("expose it with a Service");
    }

    [Fact]
    public void Capabilities_must_drop_ALL()
    {
        Refused(p => p.App()["capabilities"] = new JsonObject { ["drop"] = new JsonArray("NET_RAW") })
            .Should().Contain("container \"app\" must set securityContext.capabilities.drop: [ALL]");
    }

    [Fact]
    public void Only_NET_BIND_SERVICE_may_be_added()
    {
        Review(Namespaced("Pod", RestrictedPod().With(p => p.App()["capabilities"]!["add"] = new JsonArray("NET_BIND_SERVICE")))).Allowed.Should().BeTrue();
        Refused(p => p.App()["capabilities"]!["add"] = new JsonArray("NET_BIND_SERVICE", "SYS_ADMIN"))
            .Should().Contain("adds capabilities SYS_ADMIN; only NET_BIND_SERVICE may be added");
    }

    [Fact]
    public void Privilege_escalation_must_be_switched_off_explicitly()
    {
        Refused(p => p.App().Remove("allowPrivilegeEscalation"))
            .Should().Contain("container \"app\" must set securityContext.allowPrivilegeEscalation: false");
        Refused(p => p.App()["allowPrivilegeEscalation"] = true).Should().Contain("allowPrivilegeEscalation: false");
    }

    [Fact]
    public void Pod_must_run_as_non_root_at_pod_or_container_level()
    {
        Refused(p => p.Spec()["securityContext"]!.AsObject().Remove("runAsNonRoot"))
            .Should().Contain("container \"app\" must run as non-root: set securityContext.runAsNonRoot: true");
        Review(Namespaced("Pod", RestrictedPod().With(p =>
        {
            p.Spec()["securityContext"]!.AsObject().Remove("runAsNonRoot");
            p.App()["runAsNonRoot"] = true;
        }))).Allowed.Should().BeTrue("the container level is enough");
        Refused(p => p.App()["runAsNonRoot"] = false).Should().Contain("must run as non-root");
    }

    [Fact]
    public void Running_as_user_0_is_refused_at_pod_and_container_level()
    {
        Refused(p => p.Spec()["securityContext"]!["runAsUser"] = 0).Should().Contain("spec.securityContext.runAsUser: 0 runs as root");
        Refused(p => p.App()["runAsUser"] = 0).Should().Contain("container \"app\" sets securityContext.runAsUser: 0 (root)");
        Review(Namespaced("Pod", RestrictedPod().With(p => p.App()["runAsUser"] = 1000))).Allowed.Should().BeTrue();
    }

    [Fact]
    public void Seccomp_must_be_RuntimeDefault_or_Localhost_at_pod_or_container_level()
    {
        Refused(p => p.Spec()["securityContext"]!.AsObject().Remove("seccompProfile"))
            .Should().Contain("container \"app\" has no seccomp profile; set securityContext.seccompProfile.type: RuntimeDefault");
        Refused(p => p.Spec()["securityContext"]!["seccompProfile"]!["type"] = "Unconfined")
            .Should().Contain("spec.securityContext.seccompProfile.type Unconfined is not allowed");
        Refused(p => p.App()["seccompProfile"] = new JsonObject { ["type"] = "Unconfined" })
            .Should().Contain("container \"app\" sets seccompProfile.type Unconfined");
        Review(Namespaced("Pod", RestrictedPod().With(p =>
        {
            p.Spec()["securityContext"]!.AsObject().Remove("seccompProfile");
            p.App()["seccompProfile"] = new JsonObject { ["type"] = "Localhost", ["localhostProfile"] = "profiles/app.json" };
        }))).Allowed.Should().BeTrue();
    }

    [Fact]
    public void Unconfined_seccomp_annotation_is_refused()
    {
        Refused(p => p["metadata"]!["annotations"] = new JsonObject { ["seccomp.security.alpha.kubernetes.io/pod"] = "unconfined" })
            .Should().Contain("annotation seccomp.security.alpha.kubernetes.io/pod: unconfined turns seccomp off");
    }

    [Fact]
    public void Unconfined_apparmor_annotation_is_refused()
    {
        Refused(p => p["metadata"]!["annotations"] = new JsonObject { ["container.apparmor.security.beta.kubernetes.io/app"] = "unconfined" })
            .Should().Contain("use runtime/default");
    }

    [Fact]
    public void Unsafe_sysctls_selinux_and_procMount_are_refused()
    {
        Refused(p => p.Spec()["securityContext"]!["sysctls"] = JsonNode.Parse("""[{"name": "kernel.msgmax", "value": "1"}]"""))
            .Should().Contain("sysctl kernel.msgmax is not allowed");
        Refused(p => p.App()["seLinuxOptions"] = new JsonObject { ["type"] = "spc_t" }).Should().Contain("seLinuxOptions.type spc_t is not allowed");
        Refused(p => p.App()["procMount"] = "Unmasked").Should().Contain("sets procMount Unmasked");
    }

    [Fact]
    public void Init_containers_are_held_to_the_same_profile()
    {
        Refused(p => p.Spec()["initContainers"] = new JsonArray(Container("setup").With(c => c["securityContext"]!["privileged"] = true)))
            .Should().Contain("init container \"setup\" runs privileged");
    }

    [Fact]
    public void Ephemeral_containers_are_held_to_the_same_profile()
    {
        Refused(p => p.Spec()["ephemeralContainers"] = new JsonArray(Container("debug").With(c => c["securityContext"]!.AsObject().Remove("capabilities"))))
            .Should().Contain("ephemeral container \"debug\" must set securityContext.capabilities.drop: [ALL]");
    }

    [Fact]
    public void Ephemeral_containers_subresource_of_kubernetes_1_20_is_checked_container_by_container()
    {
        var update = new JsonObject
        {
            ["apiVersion"] = "v1", ["kind"] = "EphemeralContainers", ["metadata"] = new JsonObject { ["name"] = "web" },
            ["ephemeralContainers"] = new JsonArray(Container("debug").With(c => c["securityContext"]!["privileged"] = true)),
        };
        var old = update.DeepClone().AsObject().With(o => o["ephemeralContainers"] = new JsonArray());

        Refusal(Namespaced("EphemeralContainers", update, "UPDATE", old: old, subResource: "ephemeralcontainers"))
            .Should().Contain("ephemeral container \"debug\" runs privileged");
    }

    [Fact]
    public void Pod_security_is_not_enforced_when_switched_off_for_clusters_with_pod_security_admission()
    {
        var pod = RestrictedPod().With(p => { p.App()["privileged"] = true; p.Spec()["hostNetwork"] = true; });

        Review(Namespaced("Pod", pod), options: Options(o => o.EnforcePodSecurity = false)).Allowed.Should().BeTrue();
    }

    [Fact]
    public void Status_and_other_subresources_are_not_judged()
    {
        var pod = RestrictedPod().With(p => p.App()["privileged"] = true);

        Review(Namespaced("Pod", pod, "UPDATE", old: pod, subResource: "status")).Allowed.Should().BeTrue();
    }
}
