using IsolationOperator.Cli;
using IsolationOperator.Cli.Model;

namespace IsolationOperator.Tests.Unit.Cli;

public sealed class AccessAndCreateTests
{
    [Theory]
    [InlineData("group:prospect-acme=edit", "Group", "prospect-acme", "edit")]
    [InlineData("user:bob=view", "User", "bob", "view")]
    [InlineData("guest:jane-at-acme=admin", "Guest", "jane-at-acme", "admin")]
    [InlineData("GROUP:oidc:acme-people=view", "Group", "oidc:acme-people", "view")]
    public void Grants_name_a_kind_a_subject_and_a_role(string typed, string kind, string name, string role) =>
        AccessArg.Parse(typed, roleRequired: true).Should().Be(new AccessArg(kind, name, role));

    [Theory]
    [InlineData("group:prospect-acme")]
    [InlineData("group:x=owner")]
    [InlineData("team:x=edit")]
    [InlineData("prospect-acme=edit")]
    [InlineData("guest:Jane=edit")]
    [InlineData("guest:a-name-that-is-far-too-long-for-a-guest-slot-x=view")]
    public void A_malformed_grant_is_a_usage_error(string typed)
    {
        var act = () => AccessArg.Parse(typed, roleRequired: true);
        act.Should().Throw<CliException>().Which.ExitCode.Should().Be(ExitCode.Usage);
    }

    [Fact]
    public void Revokes_take_no_role()
    {
        AccessArg.Parse("guest:jane", roleRequired: false).Should().Be(new AccessArg("Guest", "jane", null));
        var act = () => AccessArg.Parse("guest:jane=edit", roleRequired: false);
        act.Should().Throw<CliException>();
    }

    [Fact]
    public void Create_arguments_become_the_DemoTenant_the_operator_reads()
    {
        var t = new CreateRequest
        {
            Name = "acme", Prospect = "ACME Corp", Owner = "alice@vendor.example", Ttl = "7d", Profile = "small",
            Grants = ["group:prospect-acme=edit", "user:bob=view"], Guests = ["jane=edit"], Secrets = ["demo-db:username,password"],
            Labels = ["team=emea"],
        }.ToTenant();

        t.Metadata.Name.Should().Be("acme");
        t.Metadata.Labels.Should().Contain("team", "emea");
        t.Spec.Prospect.Should().Be("ACME Corp");
        t.Spec.Owner.Should().Be("alice@vendor.example");
        t.Spec.Ttl.Should().Be("168h");
        t.Spec.Profile.Should().Be("small");
        t.Spec.Access!.Select(a => (a.Kind, a.Name, a.Role)).Should().Equal(("Group", "prospect-acme", "edit"), ("User", "bob", "view"), ("Guest", "jane", "edit"));
        t.Spec.Secrets!.Single().Name.Should().Be("demo-db");
        t.Spec.Secrets!.Single().Keys.Select(k => k.Name).Should().Equal("username", "password");
    }

    [Fact]
    public void Optional_create_arguments_leave_the_spec_fields_unset()
    {
        var t = new CreateRequest { Name = "acme", Prospect = "ACME", Owner = "alice" }.ToTenant();
        t.Spec.Ttl.Should().BeNull();
        t.Spec.Access.Should().BeNull();
        t.Spec.Secrets.Should().BeNull();
        t.Metadata.Labels.Should().BeNull();
    }

    [Fact]
    public void The_same_subject_twice_is_refused_before_any_request()
    {
        var act = () => new CreateRequest { Name = "acme", Prospect = "ACME", Owner = "alice", Grants = ["guest:jane=view"], Guests = ["jane=edit"] }.ToTenant();
        act.Should().Throw<CliException>().WithMessage("*guest:jane is given twice*");
    }

    [Theory]
    [InlineData("demo-db")]
    [InlineData("demo-db:")]
    [InlineData("demo-db:pass word")]
    public void A_malformed_secret_is_a_usage_error(string typed)
    {
        var act = () => SecretArg.Parse(typed);
        act.Should().Throw<CliException>();
    }
}
