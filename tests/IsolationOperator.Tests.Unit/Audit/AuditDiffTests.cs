using IsolationOperator.Api.V1Alpha1;
using IsolationOperator.Audit;

namespace IsolationOperator.Tests.Unit.Audit;

public sealed class AuditDiffTests
{
    private static readonly Requester Alice = new() { User = "alice@vendor.example", Groups = ["se-team"] };
    private static readonly Requester Bob = new() { User = "bob@vendor.example", Groups = ["se-team"] };
    private static readonly DateTimeOffset T = new(2026, 3, 3, 10, 0, 0, TimeSpan.Zero);

    private static AuditState Ready(params string[] access) => new()
    {
        Namespace = "demo-acme", ExpiresAt = T.AddDays(7), Access = access,
        Secrets = new SortedDictionary<string, string> { ["db"] = "2026-03-03T10:00:00Z" }, Verified = "True",
    };

    private static List<string> Actions(AuditState? before, AuditState now, params string[] expiredAccess) =>
        AuditDiff.Between(before, now, Alice, Bob, expiredAccess).Select(e => e.Action).ToList();

    [Fact]
    public void A_first_provisioning_records_the_namespace_secrets_access_and_verification()
    {
        var entries = AuditDiff.Between(null, Ready("Group prospect-acme (tenant-edit)"), Alice, Bob, []);
        entries.Select(e => e.Action).Should().Equal("Provisioned", "SecretGenerated", "AccessGranted", "VerificationChanged");
        entries[0].Requester.Should().Be(Alice, "who created the demo");
        entries[2].Requester.Should().Be(Alice, "access granted by the creation is the creator's");
    }

    [Fact]
    public void Nothing_changed_records_nothing() => Actions(Ready("Group g (tenant-edit)"), Ready("Group g (tenant-edit)")).Should().BeEmpty();

    [Fact]
    public void An_extension_names_who_changed_the_spec_and_both_dates()
    {
        var e = AuditDiff.Between(Ready(), Ready() with { ExpiresAt = T.AddDays(10) }, Alice, Bob, []).Single();
        e.Action.Should().Be("Extended");
        e.Requester.Should().Be(Bob);
        e.Reason.Should().Contain("2026-03-10").And.Contain("2026-03-13");
    }

    [Fact]
    public void Suspension_and_resume_carry_the_access_they_removed_and_restored_not_separate_revocations()
    {
        var running = Ready("Group g (tenant-edit)");
        var suspended = Ready() with { Suspended = true };
        AuditDiff.Between(running, suspended, Alice, Bob, []).Should().ContainSingle().Which.Should().Match<AuditEntry>(e =>
            e.Action == "Suspended" && e.Objects.Contains("access Group g (tenant-edit)"));
        Actions(suspended, running).Should().Equal("Resumed");
    }

    [Fact]
    public void Access_removed_by_its_own_deadline_is_expired_otherwise_revoked()
    {
        var before = Ready("Group g (tenant-edit)", "User carol (tenant-view)");
        Actions(before, Ready("Group g (tenant-edit)"), "User carol").Should().Equal("AccessExpired");
        Actions(before, Ready("Group g (tenant-edit)")).Should().Equal("AccessRevoked");
    }

    [Fact]
    public void Rotation_expiry_and_deletion_are_recorded_once_each()
    {
        var before = Ready("Group g (tenant-edit)");
        Actions(before, before with { Secrets = new SortedDictionary<string, string> { ["db"] = "2026-03-04T10:00:00Z" } }).Should().Equal("SecretRotated");
        var expired = before with { ExpiredAt = T.AddDays(7), Access = [] };
        Actions(before, expired).Should().Equal(["Expired"], "expiry says access went; no revocation per entry");
        Actions(expired, expired with { DeletedAt = T.AddDays(8) }).Should().Equal("Deleted");
        AuditDiff.Between(expired, expired with { DeletedAt = T.AddDays(8) }, Alice, Bob, []).Single().Requester.Should().BeNull();
    }

    [Fact]
    public void The_state_digest_changes_with_what_the_trail_records()
    {
        Ready().Digest().Should().Be(Ready().Digest());
        Ready().Digest().Should().NotBe((Ready() with { Verified = "False" }).Digest());
        AuditState.FromJson(Ready("Group g (tenant-edit)").ToJson())!.ToJson().Should().Be(Ready("Group g (tenant-edit)").ToJson());
    }
}
