using IsolationOperator.Admission;
using IsolationOperator.Api.V1Alpha1;
using IsolationOperator.Tests.Unit.Support;
using static IsolationOperator.Tests.Unit.Admission.Calls;

namespace IsolationOperator.Tests.Unit.Admission;

public class DemoTenantPolicyTests
{
    private static readonly IReadOnlyList<string> Admins = ["system:authenticated", AdminGroup];

    private static DemoTenant Demo(string owner = Alice, Action<DemoTenantSpec>? spec = null) =>
        Tenants.New("acme", s => { s.Owner = owner; spec?.Invoke(s); });

    private static AdmissionVerdict Review(AdmissionCall call, AdmissionOptions? options = null) =>
        DemoTenantPolicyReviewer.Review(call, options ?? Options(), Tenants.Now);

    private static AdmissionOptions Limits(Action<AdmissionOptions>? change = null) => Options(o =>
    {
        o.MaxLifetime = TimeSpan.FromHours(720);
        o.MaxExtension = TimeSpan.FromHours(168);
        change?.Invoke(o);
    });

    [Fact]
    public void Reviewer_is_served_on_its_path_for_demotenant_create_update_and_delete()
    {
        var reviewer = new DemoTenantPolicyReviewer(Options());

        reviewer.Path.Should().Be("/validate-demotenant-policy");
        reviewer.Mutating.Should().BeFalse();
        reviewer.Scope.Should().Be(WebhookScope.DemoTenants);
        reviewer.Resources.Should().Equal(new WebhookResource("isolation.demo.dev", "v1alpha1", "demotenants"));
        reviewer.Operations.Should().Equal("CREATE", "UPDATE", "DELETE");
    }

    [Fact]
    public async Task Reviewer_answers_through_the_contract_with_its_clock()
    {
        var reviewer = new DemoTenantPolicyReviewer(Options());

        (await reviewer.ReviewAsync(Tenant("CREATE", Demo(owner: Bob)), CancellationToken.None)).Allowed.Should().BeFalse();
        (await reviewer.ReviewAsync(Tenant("CREATE", Demo()), CancellationToken.None)).Allowed.Should().BeTrue();
    }

    [Fact]
    public void Owner_must_be_the_person_who_creates_the_demo()
    {
        var verdict = Review(Tenant("CREATE", Demo(owner: Bob), user: Alice));

        verdict.Allowed.Should().BeFalse();
        verdict.Message.Should().Contain($"spec.owner \"{Bob}\" must be you, \"{Alice}\"")
            .And.Contain($"set spec.owner: {Alice}").And.Contain("ask an admin (group platform-admins)");
    }

    [Fact]
    public void Creating_your_own_demo_is_allowed()
    {
        Review(Tenant("CREATE", Demo(owner: Alice), user: Alice)).Allowed.Should().BeTrue();
    }

    [Fact]
    public void Admin_group_member_may_create_a_demo_for_another_owner()
    {
        Review(Tenant("CREATE", Demo(owner: Bob), user: "carol", groups: Admins)).Allowed.Should().BeTrue();
    }

    [Fact]
    public void System_masters_may_create_a_demo_for_another_owner_even_without_an_admin_group()
    {
        var options = Options(o => o.AdminGroup = null);

        Review(Tenant("CREATE", Demo(owner: Bob), user: "kubernetes-admin", groups: ["system:masters", "system:authenticated"]), options)
            .Allowed.Should().BeTrue();
    }

    [Fact]
    public void Without_an_admin_group_refusals_point_to_cluster_admins()
    {
        var verdict = Review(Tenant("CREATE", Demo(owner: Bob), groups: [AdminGroup]), Options(o => o.AdminGroup = null));

        verdict.Allowed.Should().BeFalse("the group is not an admin group unless configured");
        verdict.Message.Should().Contain("ask a cluster admin (group system:masters)");
    }

    [Fact]
    public void Owner_cannot_be_changed_by_a_non_admin()
    {
        var verdict = Review(Tenant("UPDATE", Demo(owner: Bob), old: Demo(owner: Alice), user: Alice));

        verdict.Allowed.Should().BeFalse();
        verdict.Message.Should().Contain($"spec.owner cannot change from \"{Alice}\" to \"{Bob}\"").And.Contain($"set it back to {Alice}");
    }

    [Fact]
    public void Admin_may_hand_a_demo_to_another_owner()
    {
        Review(Tenant("UPDATE", Demo(owner: Bob), old: Demo(owner: Alice), user: "carol", groups: Admins)).Allowed.Should().BeTrue();
    }

    [Fact]
    public void Someone_else_cannot_change_the_owners_demo()
    {
        var verdict = Review(Tenant("UPDATE", Demo(spec: s => s.Suspended = true), old: Demo(), user: Bob));

        verdict.Allowed.Should().BeFalse();
        verdict.Message.Should().Contain($"DemoTenant acme belongs to {Alice}: only its owner or an admin may change it")
            .And.Contain($"you are {Bob}").And.Contain($"ask {Alice}");
    }

    [Fact]
    public void Owner_may_change_their_demo()
    {
        Review(Tenant("UPDATE", Demo(spec: s => s.Suspended = true), old: Demo(), user: Alice)).Allowed.Should().BeTrue();
    }

    [Fact]
    public void Someone_else_cannot_delete_the_owners_demo()
    {
        var verdict = Review(Tenant("DELETE", null, old: Demo(), user: Bob));

        verdict.Allowed.Should().BeFalse();
        verdict.Message.Should().Contain("only its owner or an admin may delete it");
    }

    [Fact]
    public void Owner_and_admins_may_delete_a_demo()
    {
        Review(Tenant("DELETE", null, old: Demo(), user: Alice)).Allowed.Should().BeTrue();
        Review(Tenant("DELETE", null, old: Demo(), user: "carol", groups: Admins)).Allowed.Should().BeTrue();
    }

    [Fact]
    public void Delete_without_the_old_object_is_refused_for_non_admins()
    {
        Review(Tenant("DELETE", null, old: null, user: Alice) with { Name = "acme" }).Allowed.Should().BeFalse();
    }

    [Fact]
    public void Operator_removing_its_finalizer_is_never_refused()
    {
        var old = Demo(owner: Bob, spec: s => s.Ttl = "9000h");
        old.Metadata.Finalizers = ["isolation.demo.dev/finalizer"];
        var updated = Demo(owner: Bob, spec: s => s.Ttl = "9000h");

        Review(Tenant("UPDATE", updated, old, user: OperatorUser), Limits()).Allowed.Should().BeTrue();
    }

    [Fact]
    public void Without_an_operator_user_configured_the_operator_is_judged_like_anyone()
    {
        Review(Tenant("UPDATE", Demo(owner: Bob), Demo(owner: Bob), user: OperatorUser), Options(o => o.OperatorUser = null))
            .Allowed.Should().BeFalse();
    }

    [Fact]
    public void Status_writes_are_not_judged_by_the_policy()
    {
        Review(Tenant("UPDATE", Demo(), Demo(), user: Bob, subResource: "status")).Allowed.Should().BeTrue();
    }

    [Fact]
    public void Ttl_beyond_the_maximum_lifetime_is_refused_with_the_limit_to_use()
    {
        var verdict = Review(Tenant("CREATE", Demo(spec: s => s.Ttl = "2000h")), Limits());

        verdict.Allowed.Should().BeFalse();
        verdict.Message.Should().Contain(
            "spec.ttl 2000h exceeds the maximum lifetime of 720h (Operator:Admission:MaxLifetime); use at most 720h, or ask an admin (group platform-admins)");
    }

    [Fact]
    public void ExpiresAt_beyond_the_maximum_lifetime_is_refused_with_the_latest_date_to_use()
    {
        var tenant = Demo(spec: s => s.ExpiresAt = Tenants.Now.AddDays(60));

        var verdict = Review(Tenant("CREATE", tenant), Limits());

        verdict.Allowed.Should().BeFalse();
        verdict.Message.Should().Contain("beyond the maximum lifetime of 720h")
            .And.Contain("use spec.expiresAt at most 2025-07-01T11:00:00Z"); // created an hour before Now, plus 30 days
    }

    [Fact]
    public void Demo_without_an_end_is_refused_when_a_maximum_lifetime_is_set()
    {
        var verdict = Review(Tenant("CREATE", Demo()), Limits());

        verdict.Allowed.Should().BeFalse();
        verdict.Message.Should().Contain("this demo has no end date").And.Contain("set spec.ttl to at most 720h");
    }

    [Fact]
    public void Demo_within_the_maximum_lifetime_is_allowed()
    {
        Review(Tenant("CREATE", Demo(spec: s => s.Ttl = "720h")), Limits()).Allowed.Should().BeTrue();
        Review(Tenant("CREATE", Demo(spec: s => s.ExpiresAt = Tenants.Now.AddDays(29))), Limits()).Allowed.Should().BeTrue();
    }

    [Fact]
    public void Without_limits_configured_any_lifetime_is_allowed()
    {
        Review(Tenant("CREATE", Demo())).Allowed.Should().BeTrue();
        Review(Tenant("CREATE", Demo(spec: s => s.Ttl = "100000h"))).Allowed.Should().BeTrue();
    }

    [Fact]
    public void Admin_may_exceed_the_maximum_lifetime_and_extension()
    {
        Review(Tenant("CREATE", Demo(spec: s => s.Ttl = "2000h"), user: Alice, groups: Admins), Limits()).Allowed.Should().BeTrue();
        Review(Tenant("UPDATE", Demo(spec: s => s.Ttl = "2000h"), Demo(spec: s => s.Ttl = "24h"), user: Alice, groups: Admins), Limits())
            .Allowed.Should().BeTrue();
    }

    [Fact]
    public void Extension_beyond_the_maximum_extension_is_refused_with_the_ttl_to_use()
    {
        var verdict = Review(Tenant("UPDATE", Demo(spec: s => s.Ttl = "500h"), Demo(spec: s => s.Ttl = "48h")), Limits());

        verdict.Allowed.Should().BeFalse();
        verdict.Message.Should().Contain("452h later; one change may extend it by at most 168h (Operator:Admission:MaxExtension)")
            .And.Contain("use spec.ttl: 216h");
    }

    [Fact]
    public void Extension_within_the_maximum_extension_is_allowed()
    {
        Review(Tenant("UPDATE", Demo(spec: s => s.Ttl = "216h"), Demo(spec: s => s.Ttl = "48h")), Limits()).Allowed.Should().BeTrue();
    }

    [Fact]
    public void Extension_is_measured_between_ttl_and_expiresAt_alike()
    {
        var created = Tenants.Now.AddHours(-1);
        var verdict = Review(Tenant("UPDATE", Demo(spec: s => s.ExpiresAt = created.AddHours(48 + 200)), Demo(spec: s => s.Ttl = "48h")), Limits());

        verdict.Allowed.Should().BeFalse();
        verdict.Message.Should().Contain("200h later").And.Contain("use spec.ttl: 216h");
    }

    [Fact]
    public void Removing_the_end_date_is_refused_when_extensions_are_limited()
    {
        var verdict = Review(Tenant("UPDATE", Demo(), Demo(spec: s => s.Ttl = "48h")), Options(o => o.MaxExtension = TimeSpan.FromHours(168)));

        verdict.Allowed.Should().BeFalse();
        verdict.Message.Should().Contain("removing the end date extends the demo without limit").And.Contain("use spec.ttl: 216h");
    }

    [Fact]
    public void Shortening_a_demo_is_always_allowed()
    {
        Review(Tenant("UPDATE", Demo(spec: s => s.Ttl = "24h"), Demo(spec: s => s.Ttl = "600h")), Limits()).Allowed.Should().BeTrue();
    }

    [Fact]
    public void Change_that_keeps_the_end_date_is_not_judged_by_the_lifetime_limit()
    {
        var old = Demo(spec: s => s.Ttl = "5000h"); // from before the limit
        var updated = Demo(spec: s => { s.Ttl = "5000h"; s.Suspended = true; });

        Review(Tenant("UPDATE", updated, old), Limits()).Allowed.Should().BeTrue();
    }

    [Fact]
    public void Large_profile_is_refused_for_non_admins()
    {
        var verdict = Review(Tenant("CREATE", Demo(spec: s => s.Profile = "large")));

        verdict.Allowed.Should().BeFalse();
        verdict.Message.Should().Contain("spec.profile large is reserved for admins").And.Contain("use medium");
    }

    [Fact]
    public void Large_profile_is_allowed_for_the_admin_group()
    {
        Review(Tenant("CREATE", Demo(spec: s => s.Profile = "large"), groups: Admins)).Allowed.Should().BeTrue();
    }

    [Fact]
    public void Large_profile_set_by_an_admin_does_not_block_the_owners_later_changes()
    {
        var old = Demo(spec: s => s.Profile = "large");
        var updated = Demo(spec: s => { s.Profile = "large"; s.Suspended = true; });

        Review(Tenant("UPDATE", updated, old)).Allowed.Should().BeTrue();
    }

    [Fact]
    public void Large_profile_is_open_to_everyone_when_the_restriction_is_off()
    {
        Review(Tenant("CREATE", Demo(spec: s => s.Profile = "large")), Options(o => o.LargeProfileAdminOnly = false)).Allowed.Should().BeTrue();
    }

    [Fact]
    public void Access_subject_outside_the_allowed_prefixes_is_refused()
    {
        var options = Options(o => o.AllowedSubjectPrefixes = ["prospect-", "se-"]);
        var tenant = Demo(spec: s => s.Access = [Tenants.Access("Group", "internal-finance", "admin")]);

        var verdict = Review(Tenant("CREATE", tenant), options);

        verdict.Allowed.Should().BeFalse();
        verdict.Message.Should().Contain("spec.access: group \"internal-finance\" is not allowed")
            .And.Contain("start with prospect- or se- (Operator:Admission:AllowedSubjectPrefixes)")
            .And.Contain("use a name such as prospect-acme");
    }

    [Fact]
    public void Access_subjects_with_allowed_prefixes_are_allowed()
    {
        var options = Options(o => o.AllowedSubjectPrefixes = ["prospect-", " se-", ""]);
        var tenant = Demo(spec: s => s.Access = [Tenants.Access("Group", "prospect-acme", "edit"), Tenants.Access("User", "se-alice", "admin")]);

        Review(Tenant("CREATE", tenant), options).Allowed.Should().BeTrue();
    }

    [Fact]
    public void A_guest_is_a_label_not_an_identity_and_needs_no_allowed_prefix()
    {
        var options = Options(o => o.AllowedSubjectPrefixes = ["prospect-"]);
        var tenant = Demo(spec: s => s.Access = [Tenants.Access("Guest", "jane-at-acme", "edit")]);

        Review(Tenant("CREATE", tenant), options).Allowed.Should().BeTrue();
    }

    [Fact]
    public void Existing_access_entries_are_not_judged_again()
    {
        var options = Options(o => o.AllowedSubjectPrefixes = ["prospect-"]);
        var old = Demo(spec: s => s.Access = [Tenants.Access("Group", "legacy-group", "view")]);
        var updated = Demo(spec: s => s.Access = [Tenants.Access("Group", "legacy-group", "view"), Tenants.Access("Group", "prospect-acme", "edit")]);

        Review(Tenant("UPDATE", updated, old), options).Allowed.Should().BeTrue();
    }

    [Fact]
    public void Without_configured_prefixes_any_access_subject_passes_this_policy()
    {
        Review(Tenant("CREATE", Demo(spec: s => s.Access = [Tenants.Access("Group", "anyone", "edit")]))).Allowed.Should().BeTrue();
    }

    [Fact]
    public void Admin_may_grant_access_outside_the_prefixes()
    {
        var options = Options(o => o.AllowedSubjectPrefixes = ["prospect-"]);

        Review(Tenant("CREATE", Demo(spec: s => s.Access = [Tenants.Access("Group", "internal", "view")]), groups: Admins), options)
            .Allowed.Should().BeTrue();
    }

    [Fact]
    public void Every_broken_rule_is_named_in_one_refusal()
    {
        var options = Limits(o => o.AllowedSubjectPrefixes = ["prospect-"]);
        var tenant = Demo(spec: s => { s.Ttl = "2000h"; s.Profile = "large"; s.Access = [Tenants.Access("Group", "ops", "view")]; });

        var message = Review(Tenant("CREATE", tenant), options).Message;

        message.Should().Contain("Operator:Admission:MaxLifetime").And.Contain("spec.profile large").And.Contain("AllowedSubjectPrefixes");
    }
}
