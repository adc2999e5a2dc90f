using IsolationOperator.Api.V1Alpha1;
using IsolationOperator.Audit;

namespace IsolationOperator.Tests.Unit.Audit;

/// <summary>status.audit.recent: the newest records in short, for whoever may read the DemoTenant.</summary>
public sealed class RecentTimelineTests
{
    private static AuditRecord Record(long seq, string action = "AccessGranted", string? by = null) => new()
    {
        Tenant = "acme", Uid = "u-1", Seq = seq, Time = new DateTimeOffset(2026, 3, 3, 10, 0, 0, TimeSpan.Zero).AddMinutes(seq), Action = action,
        Objects = Enumerable.Range(1, 8).Select(i => $"object {i}").ToList(), Reason = "a reason that status leaves out",
        Requester = by is null ? null : new Requester { User = by }, Operator = new OperatorRef { Identity = "op", Version = "1" },
    };

    [Fact]
    public void The_newest_ten_are_kept_oldest_first_with_who_asked_and_no_reason_text()
    {
        var first = AuditTrail.Recent(null, Enumerable.Range(1, 7).Select(i => Record(i)));
        var next = AuditTrail.Recent(first, Enumerable.Range(8, 6).Select(i => Record(i, by: "alice")));

        next.Select(r => r.Seq).Should().Equal(Enumerable.Range(4, 10).Select(i => (long)i));
        next[^1].By.Should().Be("alice");
        next[^1].Objects.Should().HaveCount(5, "objects are cut to five in status");
        System.Text.Json.JsonSerializer.Serialize(next).Should().NotContain("a reason that status leaves out");
    }

    [Fact]
    public void A_record_seen_twice_after_a_retried_write_is_listed_once()
    {
        var once = AuditTrail.Recent(AuditTrail.Recent(null, [Record(1), Record(2)]), [Record(2), Record(3)]);
        once.Select(r => r.Seq).Should().Equal(1, 2, 3);
    }
}
