using IsolationOperator.Api.V1Alpha1;
using IsolationOperator.Desired;
using IsolationOperator.Tests.Unit.Support;

namespace IsolationOperator.Tests.Unit.Desired;

public class TenantPlannerSecretsTests
{
    private static SecretSpec Secret(string name, string? rotateEvery = null, params (string Name, int? Length)[] keys) => new()
    {
        Name = name,
        RotateEvery = rotateEvery,
        Keys = keys.Select(k => new SecretKeySpec { Name = k.Name, Length = k.Length }).ToList(),
    };

    [Fact]
    public void Key_length_defaults_to_24()
    {
        var plan = Tenants.Plan(s => s.Secrets = [Secret("demo-db", null, ("username", 16), ("password", null))]);

        plan.Secrets.Should().ContainSingle().Which.Keys.Should().Equal(
            new SecretKeyPlan("username", 16), new SecretKeyPlan("password", TenantPlanner.DefaultSecretLength));
        TenantPlanner.DefaultSecretLength.Should().Be(24);
    }

    [Fact]
    public void Rotation_schedule_is_parsed()
    {
        Tenants.Plan(s => s.Secrets = [Secret("api", "720h", ("token", 48))]).Secrets.Single().RotateEvery.Should().Be(TimeSpan.FromDays(30));
        Tenants.Plan(s => s.Secrets = [Secret("api", null, ("token", 48))]).Secrets.Single().RotateEvery.Should().BeNull();
    }

    [Theory]
    [InlineData("0s")]
    [InlineData("0.5s")]
    [InlineData("monthly")]
    public void Rotation_shorter_than_a_second_or_unreadable_is_refused(string every)
    {
        Tenants.Problems(s => s.Secrets = [Secret("api", every, ("token", 48))]).Should().ContainSingle()
            .Which.Should().Contain("spec.secrets[api].rotateEvery").And.Contain($"\"{every}\"").And.Contain("at least 1s");
    }

    [Fact]
    public void The_same_key_twice_is_a_readable_problem()
    {
        Tenants.Problems(s => s.Secrets = [Secret("demo-db", null, ("password", 16), ("password", 32))]).Should().ContainSingle()
            .Which.Should().Contain("spec.secrets[demo-db]").And.Contain("\"password\" more than once");
    }

    [Fact]
    public void The_same_secret_twice_is_a_readable_problem()
    {
        Tenants.Problems(s => s.Secrets = [Secret("demo-db", null, ("a", 16)), Secret("demo-db", null, ("b", 16))]).Should().ContainSingle()
            .Which.Should().Contain("spec.secrets lists \"demo-db\" more than once");
    }
}
