using System.Text.Json.Nodes;
using IsolationOperator.Cli;
using IsolationOperator.Cli.Model;

namespace IsolationOperator.Tests.Unit.Cli;

public sealed class SpecPatchTests
{
    private static JsonArray Access() => JsonNode.Parse("""
        [{"kind":"Group","name":"prospect-acme","role":"edit"},
         {"kind":"User","name":"se-alice","role":"admin","expiresAt":"2026-12-24T00:00:00Z"}]
        """)!.AsArray();

    [Fact]
    public void Grant_adds_an_entry_and_keeps_the_others_as_they_were()
    {
        var list = SpecPatches.Grant(Access(), new AccessArg("Guest", "jane", "edit"), new DateTimeOffset(2026, 12, 10, 0, 0, 0, TimeSpan.Zero));
        list.Should().HaveCount(3);
        list[1]!["expiresAt"]!.GetValue<string>().Should().Be("2026-12-24T00:00:00Z");
        list[2]!.ToJsonString().Should().Be("""{"kind":"Guest","name":"jane","role":"edit","expiresAt":"2026-12-10T00:00:00Z"}""");
    }

    [Fact]
    public void Grant_to_someone_who_has_access_changes_their_role_and_expiry_in_place()
    {
        var list = SpecPatches.Grant(Access(), new AccessArg("User", "se-alice", "view"), null);
        list.Should().HaveCount(2);
        list[1]!.ToJsonString().Should().Be("""{"kind":"User","name":"se-alice","role":"view"}""");
    }

    [Fact]
    public void Grant_on_a_demo_without_access_starts_the_list() =>
        SpecPatches.Grant(null, new AccessArg("Group", "g", "view"), null).Should().HaveCount(1);

    [Fact]
    public void Revoke_removes_only_the_entry_of_that_kind_and_name()
    {
        var list = SpecPatches.Revoke(Access(), new AccessArg("Group", "prospect-acme", null), "acme");
        list.Should().ContainSingle().Which!["name"]!.GetValue<string>().Should().Be("se-alice");
    }

    [Fact]
    public void Revoking_access_that_is_not_there_is_not_found()
    {
        var act = () => SpecPatches.Revoke(Access(), new AccessArg("User", "prospect-acme", null), "acme");
        act.Should().Throw<CliException>().Which.ExitCode.Should().Be(ExitCode.ForbiddenOrNotFound);
    }

    [Fact]
    public void The_access_patch_carries_the_resource_version_it_was_built_from()
    {
        var patch = SpecPatches.Access(Access(), "42");
        patch["metadata"]!["resourceVersion"]!.GetValue<string>().Should().Be("42");
        patch["spec"]!["access"]!.AsArray().Should().HaveCount(2);
    }

    [Fact]
    public void Extend_by_moves_expiresAt_when_the_spec_sets_it()
    {
        var spec = new JsonObject { ["ttl"] = "24h", ["expiresAt"] = "2026-12-10T12:00:00Z" };
        SpecPatches.Extend(spec, TimeSpan.FromDays(3), null, "acme").ToJsonString().Should().Be("""{"spec":{"expiresAt":"2026-12-13T12:00:00Z"}}""");
    }

    [Fact]
    public void Extend_by_lengthens_the_ttl_when_that_sets_the_expiry()
    {
        var spec = new JsonObject { ["ttl"] = "168h" };
        SpecPatches.Extend(spec, TimeSpan.FromDays(3), null, "acme").ToJsonString().Should().Be("""{"spec":{"ttl":"240h"}}""");
    }

    [Fact]
    public void Extend_until_sets_expiresAt() =>
        SpecPatches.Extend(new JsonObject { ["ttl"] = "1h" }, null, new DateTimeOffset(2027, 1, 5, 0, 0, 0, TimeSpan.Zero), "acme")
            .ToJsonString().Should().Be("""{"spec":{"expiresAt":"2027-01-05T00:00:00Z"}}""");

    [Fact]
    public void Extend_by_on_a_demo_without_expiry_says_to_use_until()
    {
        var act = () => SpecPatches.Extend(new JsonObject(), TimeSpan.FromDays(1), null, "acme");
        act.Should().Throw<CliException>().WithMessage("*--until*");
    }

    [Fact]
    public void Suspend_and_resume_set_spec_suspended()
    {
        SpecPatches.Suspended(true).ToJsonString().Should().Be("""{"spec":{"suspended":true}}""");
        SpecPatches.Suspended(false).ToJsonString().Should().Be("""{"spec":{"suspended":false}}""");
    }
}
