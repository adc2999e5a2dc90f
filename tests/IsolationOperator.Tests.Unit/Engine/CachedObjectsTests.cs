using IsolationOperator.Api.V1Alpha1;
using IsolationOperator.Desired;
using IsolationOperator.Engine;
using IsolationOperator.Tests.Unit.Support;
using k8s;
using k8s.Models;

namespace IsolationOperator.Tests.Unit.Engine;

public class CachedObjectsTests
{
    private static readonly TenantPlan Plan = Tenants.Plan(s =>
    {
        s.Access = [Tenants.Access("User", "se-alice", "admin"), Tenants.Access("Group", "prospect-acme", "edit")];
        s.Network = new NetworkSpec { IngressFromNamespaces = ["ingress-nginx"], EgressCIDRs = ["203.0.113.0/24"] };
        s.Secrets = [new SecretSpec { Name = "demo-db", Keys = [new SecretKeySpec { Name = "password" }] }];
    });

    private static IReadOnlyList<IKubernetesObject<V1ObjectMeta>> Desired() =>
        DesiredState.Build(Plan, "o", "p", _ => null, _ => false, Tenants.Now);

    /// <summary>As a watch delivers it: fresh strings, nothing shared with anything else.</summary>
    private static T Decoded<T>(T o) where T : notnull => (T)JsonCopy.Of(o);

    [Fact]
    public void A_slimmed_object_still_matches_what_the_operator_wants_so_slimming_never_looks_like_drift()
    {
        foreach (var desired in Desired())
        {
            var cached = Decoded(desired);
            CachedStrings.ShareMetadata(((IMetadata<V1ObjectMeta>)cached).Metadata);
            CachedObjects.Slim(cached);
            ObjectDiff.Compare(desired, (IKubernetesObject<V1ObjectMeta>)cached).Should().BeEmpty($"{desired.Kind} {desired.Metadata.Name}");
        }
    }

    [Fact]
    public void Two_tenants_quotas_share_one_copy_of_each_resource_name()
    {
        var quota = Desired().OfType<V1ResourceQuota>().First(q => q.Spec.Hard.ContainsKey("requests.cpu"));
        var a = Decoded(quota);
        var b = Decoded(quota);
        a.Spec.Hard.Keys.First().Should().NotBeSameAs(b.Spec.Hard.Keys.First(), "decoding makes new strings");

        CachedObjects.Slim(a);
        CachedObjects.Slim(b);

        foreach (var key in a.Spec.Hard.Keys)
        {
            b.Spec.Hard.Keys.Single(k => k == key).Should().BeSameAs(key);
            b.Spec.Hard[key].Should().BeSameAs(a.Spec.Hard[key]);
            b.Spec.Hard[key].ToString().Should().Be(quota.Spec.Hard[key].ToString());
        }
    }

    [Fact]
    public void A_quantity_cannot_be_changed_so_one_instance_can_serve_every_cached_object()
    {
        typeof(ResourceQuantity).GetProperties().Where(p => p.SetMethod?.IsPublic == true).Should().BeEmpty();
        typeof(ResourceQuantity).GetFields().Where(f => !f.IsInitOnly && !f.IsStatic).Should().BeEmpty();
    }

    [Fact]
    public void A_cached_quota_keeps_what_the_quota_controller_enforces_but_not_the_usage()
    {
        var quota = Decoded(Desired().OfType<V1ResourceQuota>().First());
        quota.Status = new V1ResourceQuotaStatus
        {
            Hard = quota.Spec.Hard.ToDictionary(kv => kv.Key, kv => kv.Value),
            Used = quota.Spec.Hard.ToDictionary(kv => kv.Key, _ => new ResourceQuantity("0")),
        };

        CachedObjects.Slim(quota);

        quota.Status.Used.Should().BeNull("no reconcile reads usage, and it is a third of a quota's size");
        quota.Status.Hard.Keys.Should().BeEquivalentTo(quota.Spec.Hard.Keys, "Ready waits for the quota controller to enforce every key");
        quota.Status.Hard.Select(kv => kv.Value.ToString()).Should().Equal(quota.Spec.Hard.Select(kv => kv.Value.ToString()));
    }

    [Fact]
    public void Condition_and_managed_resource_strings_of_cached_tenants_are_shared()
    {
        DemoTenant Tenant() => new()
        {
            Status = new DemoTenantStatus
            {
                Phase = new string(Phases.Ready.AsSpan()),
                Conditions = [new V1Condition { Type = new string("Ready".AsSpan()), Status = new string("True".AsSpan()), Reason = new string("Provisioned".AsSpan()), Message = "m" }],
                ManagedResources = [new ManagedResource { ApiVersion = new string("v1".AsSpan()), Kind = new string("Namespace".AsSpan()), Name = "demo-acme" }],
            },
        };
        var a = Tenant();
        var b = Tenant();

        CachedObjects.Slim(a);
        CachedObjects.Slim(b);

        b.Status!.Phase.Should().BeSameAs(a.Status!.Phase);
        b.Status.Conditions![0].Status.Should().BeSameAs(a.Status.Conditions![0].Status);
        b.Status.ManagedResources![0].Kind.Should().BeSameAs(a.Status.ManagedResources![0].Kind);
        b.Status.ManagedResources[0].Should().Be(new ManagedResource { ApiVersion = "v1", Kind = "Namespace", Name = "demo-acme" });
    }
}
