using IsolationOperator.Desired;
using k8s.Models;

namespace IsolationOperator.Tests.Unit.Desired;

public class ProfilesTests
{
    private static decimal Value(string quantity) => new ResourceQuantity(quantity).ToDecimal();

    [Fact]
    public void Every_profile_sets_the_same_keys()
    {
        var keys = Profiles.All[Profiles.Default].Quota.Keys.ToHashSet();
        Profiles.All.Values.Should().OnlyContain(p => p.Quota.Keys.ToHashSet().SetEquals(keys));
        Profiles.All.Keys.Should().BeEquivalentTo("small", "medium", "large");
    }

    [Fact]
    public void Locked_keys_are_zero_and_not_overridable()
    {
        foreach (var profile in Profiles.All.Values)
            foreach (var key in Profiles.Locked)
                profile.Quota[key].Should().Be("0");
        Profiles.OverridableKeys.Should().NotIntersectWith(Profiles.Locked);
        Profiles.OverridableKeys.Should().Contain(["requests.cpu", "requests.memory", "limits.cpu", "limits.memory", "pods"]);
    }

    [Fact]
    public void Bigger_profiles_get_more()
    {
        var (s, m, l) = (Profiles.All["small"], Profiles.All["medium"], Profiles.All["large"]);
        foreach (var key in Profiles.OverridableKeys)
        {
            Value(m.Quota[key]).Should().BeGreaterThan(Value(s.Quota[key]), key);
            Value(l.Quota[key]).Should().BeGreaterThan(Value(m.Quota[key]), key);
        }
    }

    [Fact]
    public void Container_defaults_fit_within_the_maximum_and_the_quota()
    {
        foreach (var p in Profiles.All.Values)
            foreach (var resource in new[] { "cpu", "memory", "ephemeral-storage" })
            {
                Value(p.ContainerDefaultRequest[resource]).Should().BeLessThanOrEqualTo(Value(p.ContainerDefault[resource]));
                Value(p.ContainerDefault[resource]).Should().BeLessThanOrEqualTo(Value(p.ContainerMax[resource]));
                Value(p.ContainerMax[resource]).Should().BeLessThanOrEqualTo(Value(p.Quota[$"limits.{resource}"]), $"{p.Name} {resource}");
            }
    }
}
