using System.Text.Json.Nodes;
using IsolationOperator.Api.V1Alpha1;
using IsolationOperator.Desired;
using IsolationOperator.Engine;
using IsolationOperator.Tests.Unit.Support;
using k8s;
using k8s.Models;

namespace IsolationOperator.Tests.Unit.Engine;

public class ObjectDiffTests
{
    private static readonly TenantPlan Plan = Tenants.Plan(s =>
    {
        s.Access = [Tenants.Access("User", "se-alice", "admin")];
        s.Network = new NetworkSpec { EgressCIDRs = ["203.0.113.0/24"] };
    });

    /// <summary>The object as a watch would deliver it: round-tripped through JSON, with what the server adds.</summary>
    private static T Live<T>(T desired, Action<T>? change = null) where T : notnull
    {
        var live = (T)JsonCopy.Of(desired);
        if (live is IKubernetesObject<V1ObjectMeta> o)
        {
            o.Metadata.Uid = "0b1c2d3e-0000-0000-0000-000000000000";
            o.Metadata.ResourceVersion = "4711";
            o.Metadata.CreationTimestamp = Tenants.Now.UtcDateTime;
            o.Metadata.ManagedFields = [new V1ManagedFieldsEntry { Manager = "isolation-operator", Operation = "Apply" }];
        }
        change?.Invoke(live);
        return live;
    }

    private static V1NetworkPolicy DefaultDeny() =>
        NetworkPolicyBuilder.Build(Plan).Single(p => p.Metadata.Name == NetworkPolicyBuilder.DefaultDeny);

    [Fact]
    public void An_unchanged_object_has_no_difference()
    {
        var all = DesiredState.Build(Plan, "o", "p", _ => null, _ => false, Tenants.Now);
        foreach (var desired in all)
            ObjectDiff.Compare(desired, Live(desired)).Should().BeEmpty($"{desired.Kind} {desired.Metadata.Name}");
    }

    [Fact]
    public void Extra_server_added_labels_and_annotations_are_fine()
    {
        var desired = NamespaceBuilder.Build(Plan, "alice", "ACME");
        var live = Live(desired, ns =>
        {
            ns.Metadata.Labels["kubernetes.io/metadata.name"] = "demo-acme";
            ns.Metadata.Annotations["kubectl.kubernetes.io/last-applied-configuration"] = "{}";
            ns.Spec = new V1NamespaceSpec { Finalizers = ["kubernetes"] };
            ns.Status = new V1NamespaceStatus { Phase = "Active" };
        });

        ObjectDiff.Compare(desired, live).Should().BeEmpty();
    }

    [Fact]
    public void Desired_labels_must_be_present_on_the_live_object()
    {
        var desired = NamespaceBuilder.Build(Plan, "alice", "ACME");
        var live = Live(desired, ns =>
        {
            ns.Metadata.Labels.Remove("pod-security.kubernetes.io/enforce");
            ns.Metadata.Labels["pod-security.kubernetes.io/warn"] = "baseline";
        });

        ObjectDiff.Compare(desired, live).Should().BeEquivalentTo(
            "metadata.labels.pod-security.kubernetes.io/enforce", "metadata.labels.pod-security.kubernetes.io/warn");
    }

    [Fact]
    public void A_live_object_without_labels_or_annotations_differs_in_each()
    {
        var desired = NamespaceBuilder.Build(Plan, "alice", "ACME");
        var live = Live(desired, ns => { ns.Metadata.Labels = null; ns.Metadata.Annotations = null; });

        var diffs = ObjectDiff.Compare(desired, live);

        diffs.Should().Contain($"metadata.labels.{TenantLabels.Tenant}").And.Contain($"metadata.annotations.{NamespaceBuilder.OwnerAnnotation}");
    }

    [Fact]
    public void An_added_ingress_rule_in_default_deny_is_a_difference()
    {
        var desired = DefaultDeny();
        var live = Live(desired, p => p.Spec.Ingress = [new V1NetworkPolicyIngressRule { FromProperty = [new V1NetworkPolicyPeer { IpBlock = new V1IPBlock { Cidr = "0.0.0.0/0" } }] }]);

        ObjectDiff.Compare(desired, live).Should().Equal("spec.ingress");
    }

    [Fact]
    public void A_pod_selector_narrowed_by_someone_is_a_difference()
    {
        var desired = DefaultDeny();
        var live = Live(desired, p => p.Spec.PodSelector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = "nothing" } });

        ObjectDiff.Compare(desired, live).Should().ContainSingle().Which.Should().StartWith("spec.podSelector");
    }

    [Fact]
    public void A_dropped_policy_type_is_a_difference()
    {
        var desired = DefaultDeny();
        var live = Live(desired, p => p.Spec.PolicyTypes = ["Ingress"]);

        ObjectDiff.Compare(desired, live).Should().ContainSingle().Which.Should().StartWith("spec.policyTypes");
    }

    [Fact]
    public void A_changed_egress_cidr_is_named_by_its_path()
    {
        var desired = NetworkPolicyBuilder.Build(Plan).Single(p => p.Metadata.Name == NetworkPolicyBuilder.AllowEgressToCidrs);
        var live = Live(desired, p => p.Spec.Egress[0].To[0].IpBlock.Cidr = "0.0.0.0/0");

        ObjectDiff.Compare(desired, live).Should().Equal("spec.egress[0].to[0].ipBlock.cidr");
    }

    [Fact]
    public void Missing_and_empty_lists_are_equal()
    {
        var desired = DefaultDeny();
        desired.Spec.Ingress.Should().BeEmpty();
        var live = Live(desired, p => { p.Spec.Ingress = null; p.Spec.Egress = null; });

        ObjectDiff.Compare(desired, live).Should().BeEmpty();
        ObjectDiff.Compare(live, desired).Should().BeEmpty();
    }

    [Fact]
    public void Quantities_compare_by_value()
    {
        var desired = QuotaBuilder.BuildQuota(Plan);
        desired.Spec.Hard["requests.memory"].ToString().Should().Be("4Gi");
        var live = ObjectDiff.ToNode(desired);
        live["spec"]!["hard"]!["requests.memory"] = "4096Mi";
        live["spec"]!["hard"]!["requests.cpu"] = "2000m";

        ObjectDiff.Compare(desired, live).Should().BeEmpty();
    }

    [Fact]
    public void One_gibibyte_equals_1024_mebibytes()
    {
        var desired = new JsonObject { ["spec"] = new JsonObject { ["hard"] = new JsonObject { ["memory"] = "1Gi" } } };
        var live = new JsonObject { ["spec"] = new JsonObject { ["hard"] = new JsonObject { ["memory"] = "1024Mi" } } };

        ObjectDiff.Compare(desired, live).Should().BeEmpty();
    }

    [Fact]
    public void A_different_quantity_is_a_difference()
    {
        var desired = QuotaBuilder.BuildQuota(Plan);
        var live = Live(desired, q => q.Spec.Hard["services.loadbalancers"] = new ResourceQuantity("1"));

        ObjectDiff.Compare(desired, live).Should().Equal("spec.hard.services.loadbalancers");
    }

    [Fact]
    public void A_removed_quota_key_is_a_difference()
    {
        var desired = QuotaBuilder.BuildQuota(Plan);
        var live = Live(desired, q => q.Spec.Hard.Remove("services.nodeports"));

        ObjectDiff.Compare(desired, live).Should().Equal("spec.hard.services.nodeports");
    }

    [Fact]
    public void An_added_role_rule_is_a_difference()
    {
        var desired = RbacBuilder.BuildClusterRoles().First();
        var live = Live(desired, r => r.Rules.Add(new V1PolicyRule { ApiGroups = ["*"], Resources = ["*"], Verbs = ["*"] }));

        ObjectDiff.Compare(desired, live).Should().Equal("rules");
    }

    [Fact]
    public void An_added_binding_subject_is_a_difference()
    {
        var desired = RbacBuilder.BuildBindings(Plan).First();
        var live = Live(desired, b => b.Subjects.Add(new Rbacv1Subject { Kind = "Group", Name = "system:authenticated", ApiGroup = "rbac.authorization.k8s.io" }));

        ObjectDiff.Compare(desired, live).Should().Equal("subjects");
    }

    [Fact]
    public void A_changed_role_reference_is_a_difference()
    {
        var desired = RbacBuilder.BuildBindings(Plan).First();
        var live = Live(desired, b => b.RoleRef = new V1RoleRef { ApiGroup = "rbac.authorization.k8s.io", Kind = "Role", Name = "cluster-admin" });

        ObjectDiff.Compare(desired, live).Should().BeEquivalentTo("roleRef.kind", "roleRef.name");
    }

    [Fact]
    public void A_changed_secret_value_is_a_difference()
    {
        var desired = SecretBuilder.Build(Plan, new SecretPlan("s", [new SecretKeyPlan("password", 24)], null), null, false, Tenants.Now);
        var live = Live(desired, s => s.Data["password"] = "hunter2"u8.ToArray());

        ObjectDiff.Compare(desired, live).Should().Equal("data.password");
    }

    [Fact]
    public void Status_and_server_metadata_are_ignored()
    {
        var desired = QuotaBuilder.BuildQuota(Plan);
        var live = Live(desired, q => q.Status = new V1ResourceQuotaStatus { Used = new Dictionary<string, ResourceQuantity> { ["pods"] = new("3") } });

        ObjectDiff.Compare(desired, live).Should().BeEmpty();
    }
}
