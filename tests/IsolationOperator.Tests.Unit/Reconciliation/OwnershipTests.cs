using IsolationOperator.Api.V1Alpha1;
using IsolationOperator.Desired;
using IsolationOperator.Engine;
using IsolationOperator.Reconciliation;
using IsolationOperator.Tests.Unit.Support;
using k8s.Models;

namespace IsolationOperator.Tests.Unit.Reconciliation;

public class OwnershipTests
{
    private static DemoTenant Tenant(string uid, string? provisionedNs = null)
    {
        var t = Tenants.New();
        t.Metadata.Uid = uid;
        if (provisionedNs is not null) t.Status = new DemoTenantStatus { Namespace = provisionedNs };
        return t;
    }

    private static V1Namespace Ns(string tenant, string? uid)
    {
        var meta = TenantLabels.Meta(tenant, "demo-acme");
        if (uid is not null) meta.Labels[TenantLabels.TenantUid] = uid;
        return new V1Namespace { Metadata = meta };
    }

    [Fact]
    public void A_namespace_is_ours_by_the_uid_it_records() =>
        NamespaceOwnership.IsOwnedBy(Ns("acme", "uid-1"), Tenant("uid-1")).Should().BeTrue();

    [Fact]
    public void A_DemoTenant_recreated_under_the_old_name_does_not_adopt_the_namespace() =>
        NamespaceOwnership.IsOwnedBy(Ns("acme", "uid-old"), Tenant("uid-new")).Should().BeFalse();

    [Fact]
    public void An_unrecorded_uid_is_ours_only_if_this_tenant_provisioned_it()
    {
        NamespaceOwnership.IsOwnedBy(Ns("acme", null), Tenant("uid-1", "demo-acme")).Should().BeTrue();
        NamespaceOwnership.IsOwnedBy(Ns("acme", null), Tenant("uid-1")).Should().BeFalse("a re-created tenant has no status");
    }

    [Fact]
    public void Another_tenants_namespace_is_not_ours() =>
        NamespaceOwnership.IsOwnedBy(Ns("other", "uid-1"), Tenant("uid-1")).Should().BeFalse();

    private static V1Secret Secret(string? mark, string? manager = null, string operation = "Update")
    {
        var meta = TenantLabels.Meta("acme", "db", "demo-acme");
        meta.Annotations = new Dictionary<string, string>();
        if (mark is not null) meta.Annotations[SecretOwnership.GenerationAnnotation] = mark;
        if (manager is not null) meta.ManagedFields = [new V1ManagedFieldsEntry { Manager = manager, Operation = operation }];
        return new V1Secret { Metadata = meta };
    }

    [Fact]
    public void A_secret_with_the_recorded_mark_is_current() =>
        SecretOwnership.Of(Secret("m1"), new SecretStatus { Name = "db", GenerationId = "m1" }).Should().Be(SecretState.Current);

    [Fact]
    public void A_secret_with_the_previous_mark_has_a_rotation_to_write() =>
        SecretOwnership.Of(Secret("m1"), new SecretStatus { Name = "db", GenerationId = "m2", PreviousGenerationId = "m1" })
            .Should().Be(SecretState.RotationPending);

    [Fact]
    public void A_planted_secret_is_foreign_whatever_labels_it_carries()
    {
        SecretOwnership.Of(Secret(null, "kubectl-create"), new SecretStatus { Name = "db", GenerationId = "m1" }).Should().Be(SecretState.Foreign);
        SecretOwnership.Of(Secret("guessed"), new SecretStatus { Name = "db", GenerationId = "m1" }).Should().Be(SecretState.Foreign);
        SecretOwnership.Of(Secret(null, OperatorIdentity.FieldManager, "Update"), null).Should().Be(SecretState.Foreign,
            "a tenant may create with our field manager's name, but only a patch gives an Apply entry, and tenants cannot patch secrets");
    }

    [Fact]
    public void A_secret_applied_by_an_earlier_version_and_listed_in_status_is_adopted() =>
        SecretOwnership.Of(Secret(null, OperatorIdentity.FieldManager, "Apply"), new SecretStatus { Name = "db" }).Should().Be(SecretState.Legacy);

    [Fact]
    public void No_secret_is_absent() => SecretOwnership.Of(null, null).Should().Be(SecretState.Absent);

    [Fact]
    public void A_rejected_spec_keeps_only_the_access_it_still_grants()
    {
        var now = Tenants.Now;
        var tenant = Tenants.New(spec: s =>
        {
            s.Profile = "nonsense";
            s.Access =
            [
                Tenants.Access("Group", "kept", "edit"),
                Tenants.Access("Group", "expired", "edit", now.AddMinutes(-1)),
                Tenants.Access("Group", "system:serviceaccounts", "view"),
            ];
        });
        var allowed = AccessRevocation.Allowed(tenant, null, now);
        allowed.Should().Contain(RbacBuilder.BindingName(new AccessGrant("Group", "kept", "edit", null)));
        allowed.Should().NotContain(RbacBuilder.BindingName(new AccessGrant("Group", "expired", "edit", null)));
        allowed.Should().NotContain(RbacBuilder.BindingName(new AccessGrant("Group", "system:serviceaccounts", "view", null)));
    }

    [Fact]
    public void A_suspended_spec_keeps_no_access_even_when_rejected()
    {
        var tenant = Tenants.New(spec: s => { s.Profile = "nonsense"; s.Suspended = true; s.Access = [Tenants.Access("Group", "g", "edit")]; });
        AccessRevocation.Allowed(tenant, null, Tenants.Now).Should().Equal([RbacBuilder.OperatorBindingName], "only the operator's own grant, which binds no person");
    }
}
