using IsolationOperator.Engine;

namespace IsolationOperator.Tests.Unit.Engine;

public class ReplicaIdentityTests
{
    [Fact]
    public void The_pod_name_gets_a_random_suffix_of_five_hex_characters()
    {
        var identity = ReplicaIdentity.Create(null, "isolation-operator-7d9f-abcde", "host");

        identity.Should().MatchRegex("^isolation-operator-7d9f-abcde-[0-9a-f]{5}$");
    }

    [Fact]
    public void Without_a_pod_name_the_hostname_is_used() =>
        ReplicaIdentity.Create(null, "", "laptop", "0a1b2").Should().Be("laptop-0a1b2");

    [Fact]
    public void Two_processes_with_the_same_pod_name_are_different_candidates() =>
        ReplicaIdentity.Create(null, "op", "h").Should().NotBe(ReplicaIdentity.Create(null, "op", "h"));

    [Fact]
    public void An_explicit_identity_is_taken_as_it_is() =>
        ReplicaIdentity.Create("replica-a", "op", "h").Should().Be("replica-a");
}
