using System.Text.Json.Nodes;
using static IsolationOperator.Tests.Unit.Admission.Calls;
using static IsolationOperator.Tests.Unit.Admission.WorkloadTenants;

namespace IsolationOperator.Tests.Unit.Admission;

public class SecretAndClaimRulesTests
{
    [Fact]
    public void Service_account_token_secret_is_refused()
    {
        var message = Refusal(Namespaced("Secret", Secret("kubernetes.io/service-account-token")));

        message.Should().Contain("type kubernetes.io/service-account-token is not allowed").And.Contain("use type Opaque");
        message.Should().NotContain("c2VjcmV0", "a refusal never quotes a Secret's values");
    }

    [Fact]
    public void Opaque_and_untyped_secrets_are_allowed()
    {
        Review(Namespaced("Secret", Secret("Opaque"))).Allowed.Should().BeTrue();
        Review(Namespaced("Secret", Secret())).Allowed.Should().BeTrue();
    }

    [Fact]
    public void Claim_on_the_default_storage_class_is_allowed()
    {
        Review(Namespaced("PersistentVolumeClaim", Claim())).Allowed.Should().BeTrue();
    }

    [Fact]
    public void Claim_naming_a_class_is_refused_when_no_classes_are_allowed()
    {
        var claim = Claim().With(c => c.Spec()["storageClassName"] = "fast-ssd");

        Refusal(Namespaced("PersistentVolumeClaim", claim)).Should()
            .Contain("spec.storageClassName \"fast-ssd\" is not allowed (Operator:Admission:StorageClasses)")
            .And.Contain("remove it to use the cluster's default class");
    }

    [Fact]
    public void Claim_on_a_listed_storage_class_is_allowed_and_another_is_refused_with_the_list()
    {
        var options = Options(o => o.StorageClasses = ["standard", "fast-ssd"]);

        Review(Namespaced("PersistentVolumeClaim", Claim().With(c => c.Spec()["storageClassName"] = "fast-ssd")), options: options).Allowed.Should().BeTrue();
        Refusal(Namespaced("PersistentVolumeClaim", Claim().With(c => c.Spec()["storageClassName"] = "nfs")), options: options)
            .Should().Contain("use one of standard, fast-ssd");
    }

    [Fact]
    public void Claim_with_the_beta_storage_class_annotation_is_judged_like_the_field()
    {
        var claim = Claim().With(c => c["metadata"]!["annotations"] = new JsonObject { ["volume.beta.kubernetes.io/storage-class"] = "nfs" });

        Refusal(Namespaced("PersistentVolumeClaim", claim)).Should().Contain("annotation volume.beta.kubernetes.io/storage-class \"nfs\" is not allowed");
    }

    [Fact]
    public void Claim_with_an_empty_storage_class_is_refused_because_it_binds_existing_volumes()
    {
        Refusal(Namespaced("PersistentVolumeClaim", Claim().With(c => c.Spec()["storageClassName"] = "")))
            .Should().Contain("spec.storageClassName \"\" is not allowed: it binds only existing volumes");
    }

    [Fact]
    public void Claim_on_an_existing_volume_is_refused()
    {
        Refusal(Namespaced("PersistentVolumeClaim", Claim().With(c => c.Spec()["volumeName"] = "pv-of-another-demo")))
            .Should().Contain("spec.volumeName \"pv-of-another-demo\" is not allowed").And.Contain("a new volume is provisioned");
        Refusal(Namespaced("PersistentVolumeClaim", Claim().With(c => c.Spec()["selector"] = new JsonObject { ["matchLabels"] = new JsonObject { ["a"] = "b" } })))
            .Should().Contain("spec.selector is not allowed");
    }

    [Fact]
    public void Volume_controller_binding_a_claim_is_not_refused()
    {
        var bound = Claim().With(c => c.Spec()["volumeName"] = "pvc-123");

        Review(Namespaced("PersistentVolumeClaim", bound, "UPDATE", old: Claim(), user: "system:serviceaccount:kube-system:persistent-volume-binder"))
            .Allowed.Should().BeTrue();
        Review(Namespaced("PersistentVolumeClaim", bound, "UPDATE", old: Claim(), user: "alice")).Allowed.Should().BeFalse("a person may not bind a claim by name");
    }
}
