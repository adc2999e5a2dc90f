using IsolationOperator.Desired;
using IsolationOperator.Tests.Unit.Support;

namespace IsolationOperator.Tests.Unit.Desired;

public class TenantPlannerAccessTests
{
    [Fact]
    public void Access_entries_in_force_are_planned()
    {
        var plan = Tenants.Plan(s => s.Access = [Tenants.Access("Group", "prospect-acme", "edit"), Tenants.Access("User", "se-alice", "admin")]);

        plan.Access.Should().Equal(
            new AccessGrant("Group", "prospect-acme", "edit", null),
            new AccessGrant("User", "se-alice", "admin", null));
        plan.ExpiredAccess.Should().BeEmpty();
    }

    [Fact]
    public void Expired_access_entries_are_set_aside()
    {
        var plan = Tenants.Plan(s => s.Access =
        [
            Tenants.Access("User", "past", "edit", Tenants.Now.AddSeconds(-1)),
            Tenants.Access("User", "exactly-now", "edit", Tenants.Now),
            Tenants.Access("User", "future", "edit", Tenants.Now.AddSeconds(1)),
        ]);

        plan.Access.Select(a => a.Name).Should().Equal("future");
        plan.ExpiredAccess.Select(a => a.Name).Should().Equal("past", "exactly-now");
    }

    [Fact]
    public void Access_deadlines_are_compared_in_utc()
    {
        var inTokyo = Tenants.Now.ToOffset(TimeSpan.FromHours(9)).AddMinutes(5);
        var plan = Tenants.Plan(s => s.Access = [Tenants.Access("User", "u", "view", inTokyo)]);

        plan.Access.Single().ExpiresAt.Should().Be(Tenants.Now.AddMinutes(5));
        plan.Access.Single().ExpiresAt!.Value.Offset.Should().Be(TimeSpan.Zero);
    }

    [Fact]
    public void Unknown_role_names_the_subject_and_the_choices()
    {
        Tenants.Problems(s => s.Access = [Tenants.Access("User", "se-alice", "owner")]).Should().ContainSingle()
            .Which.Should().Contain("spec.access").And.Contain("\"owner\"").And.Contain("User se-alice")
            .And.Contain("use admin, edit or view");
    }

    [Fact]
    public void The_same_subject_twice_is_a_readable_problem()
    {
        Tenants.Problems(s => s.Access = [Tenants.Access("User", "se-alice", "view"), Tenants.Access("User", "se-alice", "admin")])
            .Should().ContainSingle()
            .Which.Should().Contain("User se-alice more than once").And.Contain("keep one entry per subject");
    }

    [Fact]
    public void A_user_and_a_group_may_share_a_name()
    {
        Tenants.Plan(s => s.Access = [Tenants.Access("User", "acme", "view"), Tenants.Access("Group", "acme", "edit")])
            .Access.Should().HaveCount(2);
    }

    [Fact]
    public void Suspension_is_planned()
    {
        Tenants.Plan(s => s.Suspended = true).Suspended.Should().BeTrue();
        Tenants.Plan(s => s.Suspended = false).Suspended.Should().BeFalse();
        Tenants.Plan().Suspended.Should().BeFalse();
    }

    [Fact]
    public void Every_problem_is_reported_at_once()
    {
        var problems = Tenants.Problems(s =>
        {
            s.Profile = "huge";
            s.Ttl = "forever";
            s.Access = [Tenants.Access("User", "x", "root")];
        });

        problems.Should().HaveCount(3);
        problems.Should().Contain(p => p.Contains("spec.profile"))
            .And.Contain(p => p.Contains("spec.ttl"))
            .And.Contain(p => p.Contains("spec.access"));
    }
}
