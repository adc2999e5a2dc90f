using IsolationOperator.Api.V1Alpha1;
using IsolationOperator.Desired;
using IsolationOperator.Tests.Unit.Support;

namespace IsolationOperator.Tests.Unit.Desired;

public class GuestTests
{
    private static AccessGrant Guest(string name, string role = "edit", DateTimeOffset? until = null) => new("Guest", name, role, until);

    [Fact]
    public void Each_guest_gets_a_slot_account_labelled_with_its_name_and_no_automounted_token()
    {
        var plan = Tenants.Plan(s => s.Access = [Tenants.Access("Guest", "jane-at-acme", "edit"), Tenants.Access("Guest", "raj", "view")]);

        var accounts = RbacBuilder.BuildGuestAccounts(plan);

        accounts.Select(a => (a.Metadata.Name, a.Metadata.Labels[Guests.GuestLabel])).Should().Equal(("guest-1", "jane-at-acme"), ("guest-2", "raj"));
        accounts.Should().OnlyContain(a => a.AutomountServiceAccountToken == false && a.Metadata.NamespaceProperty == "demo-acme" && TenantLabels.TenantOf(a.Metadata) == "acme");
    }

    [Fact]
    public void A_guest_is_bound_as_its_service_account_to_its_role_and_is_not_a_user_or_group_binding()
    {
        var plan = Tenants.Plan(s => s.Access = [Tenants.Access("Guest", "jane", "view")]);

        var binding = RbacBuilder.BuildBindings(plan).Single(b => b.Metadata.Name == "guest-1-view");

        binding.RoleRef.Name.Should().Be("tenant-view");
        binding.Subjects.Should().ContainSingle().Which.Should().BeEquivalentTo(new { Kind = "ServiceAccount", Name = "guest-1", NamespaceProperty = "demo-acme" });
        plan.Access.Should().BeEmpty("a guest's name is a label, never bound as a user");
    }

    [Fact]
    public void The_demos_admins_may_issue_guest_tokens_only_while_it_has_guests()
    {
        var withGuest = Tenants.Plan(s => s.Access = [Tenants.Access("User", "se-alice", "admin"), Tenants.Access("Group", "prospect-acme", "edit"), Tenants.Access("Guest", "jane", "edit")]);
        var issuers = RbacBuilder.BuildBindings(withGuest).Single(b => b.Metadata.Name == Guests.TokenIssuerBinding);
        issuers.RoleRef.Name.Should().Be(Guests.TokenIssuerRole);
        issuers.Subjects.Select(s => (s.Kind, s.Name)).Should().Equal(("User", "se-alice"));

        var withoutGuest = Tenants.Plan(s => s.Access = [Tenants.Access("User", "se-alice", "admin")]);
        RbacBuilder.BuildBindings(withoutGuest).Should().NotContain(b => b.Metadata.Name == Guests.TokenIssuerBinding);
    }

    [Fact]
    public void The_token_issuer_role_names_every_guest_slot_and_nothing_else()
    {
        var role = RbacBuilder.BuildClusterRoles().Single(r => r.Metadata.Name == Guests.TokenIssuerRole);
        var rule = role.Rules.Should().ContainSingle().Subject;
        rule.Resources.Should().Equal("serviceaccounts/token");
        rule.Verbs.Should().Equal("create");
        rule.ResourceNames.Should().Equal(Enumerable.Range(1, 16).Select(i => $"guest-{i}"));
        rule.ResourceNames.Should().NotContain(RbacBuilder.WorkloadServiceAccount);
    }

    [Fact]
    public void A_suspended_demo_keeps_no_guest_accounts_or_bindings()
    {
        var plan = Tenants.Plan(s => { s.Access = [Tenants.Access("User", "se", "admin"), Tenants.Access("Guest", "jane", "edit")]; s.Suspended = true; });
        RbacBuilder.BuildGuestAccounts(plan).Should().BeEmpty();
        RbacBuilder.BuildBindings(plan).Should().BeEmpty();
    }

    [Fact]
    public void A_guest_past_its_expiry_has_no_account()
    {
        var plan = Tenants.Plan(s => s.Access = [Tenants.Access("Guest", "jane", "edit", Tenants.Now.AddMinutes(-1)), Tenants.Access("Guest", "raj", "edit", Tenants.Now.AddHours(1))]);
        plan.Guests.Select(g => g.Name).Should().Equal("raj");
        plan.ExpiredAccess.Select(a => a.Name).Should().Equal("jane");
    }

    [Fact]
    public void A_guests_access_ends_at_its_entry_or_the_demos_expiry_whichever_is_first()
    {
        var early = Tenants.Plan(s => { s.Ttl = "48h"; s.Access = [Tenants.Access("Guest", "jane", "edit", Tenants.Now.AddHours(5))]; });
        early.Guests.Single().EndsAt.Should().Be(Tenants.Now.AddHours(5));
        var late = Tenants.Plan(s => { s.Ttl = "2h"; s.Access = [Tenants.Access("Guest", "jane", "edit", Tenants.Now.AddHours(5))]; });
        late.Guests.Single().EndsAt.Should().Be(late.ExpiresAt);
    }

    [Theory]
    [InlineData("Jane")]
    [InlineData("jane@acme")]
    [InlineData("-jane")]
    [InlineData("a-name-that-is-far-too-long-for-a-guest-label-x")]
    public void A_guest_name_that_is_not_a_short_lowercase_label_is_refused(string name)
    {
        Tenants.Problems(s => s.Access = [Tenants.Access("Guest", name, "edit")]).Should().ContainSingle().Which.Should().Contain("guest name").And.Contain("jane-at-acme");
    }

    [Fact]
    public void More_than_sixteen_guests_are_refused()
    {
        Tenants.Problems(s => s.Access = Enumerable.Range(1, 17).Select(i => Tenants.Access("Guest", $"g{i}", "view")).ToList())
            .Should().ContainSingle().Which.Should().Contain("at most 16");
    }

    [Fact]
    public void A_guest_keeps_its_slot_when_others_come_and_go()
    {
        var recorded = new[] { new GuestStatus { Name = "jane", ServiceAccount = "guest-2" }, new GuestStatus { Name = "raj", ServiceAccount = "guest-1" } };

        var plans = Guests.Assign([Guest("new"), Guest("jane")], recorded, null);

        plans.Select(p => (p.Name, p.ServiceAccount)).Should().Equal(("new", "guest-3"), ("jane", "guest-2"));
    }

    [Fact]
    public void A_slot_freed_in_this_pass_is_not_given_to_another_guest_until_the_next()
    {
        var recorded = Enumerable.Range(1, 16).Select(i => new GuestStatus { Name = $"old{i}", ServiceAccount = $"guest-{i}" }).ToList();

        Guests.Assign([Guest("newcomer")], recorded, null).Should().BeEmpty("every slot still held an account of a removed guest");
        Guests.Assign([Guest("newcomer")], [], null).Single().ServiceAccount.Should().Be("guest-1");
    }

    [Fact]
    public void Status_that_names_a_slot_twice_or_a_foreign_account_does_not_confuse_the_assignment()
    {
        var recorded = new[]
        {
            new GuestStatus { Name = "jane", ServiceAccount = "guest-1" }, new GuestStatus { Name = "raj", ServiceAccount = "guest-1" },
            new GuestStatus { Name = "kim", ServiceAccount = "demo-workload" },
        };

        var plans = Guests.Assign([Guest("jane"), Guest("raj"), Guest("kim")], recorded, null);

        plans.Select(p => p.ServiceAccount).Should().OnlyHaveUniqueItems().And.OnlyContain(s => Guests.IsSlot(s));
        plans.Single(p => p.Name == "jane").ServiceAccount.Should().Be("guest-1");
    }
}

public class GuestRevocationTests
{
    [Fact]
    public void A_rejected_spec_keeps_the_binding_of_a_guest_still_listed_and_in_force_and_no_other()
    {
        var now = Tenants.Now;
        var tenant = Tenants.New(spec: s =>
        {
            s.Profile = "nonsense";
            s.Access = [Tenants.Access("Guest", "kept", "edit"), Tenants.Access("Guest", "ended", "view", now.AddMinutes(-1))];
        });
        tenant.Status = new GuestStatusFixture().With(("kept", "guest-2", "edit"), ("ended", "guest-1", "view"), ("removed", "guest-3", "view"));

        var allowed = IsolationOperator.Reconciliation.AccessRevocation.Allowed(tenant, null, now);

        allowed.Should().Contain("guest-2-edit");
        allowed.Should().NotContain(["guest-1-view", "guest-3-view", Guests.TokenIssuerBinding]);
    }

    private sealed class GuestStatusFixture
    {
        public DemoTenantStatus With(params (string Name, string Account, string Role)[] guests) =>
            new() { Guests = guests.Select(g => new GuestStatus { Name = g.Name, ServiceAccount = g.Account, Role = g.Role }).ToList() };
    }
}
