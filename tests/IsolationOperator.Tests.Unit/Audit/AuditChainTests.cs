using IsolationOperator.Audit;

namespace IsolationOperator.Tests.Unit.Audit;

public sealed class AuditChainTests
{
    private static readonly byte[] Key = Enumerable.Range(1, 32).Select(i => (byte)i).ToArray();
    private static readonly Dictionary<string, byte[]> Keys = new() { ["v1"] = Key };

    private static List<AuditRecord> Chain(int n)
    {
        var head = ChainHead.Empty;
        var records = new List<AuditRecord>();
        for (var i = 0; i < n; i++)
        {
            var r = AuditChain.Link(new AuditRecord
            {
                Tenant = "acme", Uid = "u-1", Seq = 0, Time = new DateTimeOffset(2026, 3, 3, 10, i, 0, TimeSpan.Zero), Action = i == 0 ? "Provisioned" : "AccessGranted",
                Objects = [$"access Group g{i} (tenant-edit)"], Reason = "because", Operator = new OperatorRef { Identity = "op", Version = "1" },
            }, head, "v1", Key);
            records.Add(r);
            head = new ChainHead(r.Seq, r.Hash);
        }
        return records;
    }

    [Fact]
    public void A_linked_chain_verifies_with_its_key_and_its_head()
    {
        var c = Chain(5);
        c.Select(r => r.Seq).Should().Equal(1, 2, 3, 4, 5);
        c[1].Prev.Should().Be(c[0].Hash);
        AuditChain.Verify(c, Keys, new ChainHead(5, c[^1].Hash)).Ok.Should().BeTrue();
        AuditChain.Verify(c, null).Ok.Should().BeTrue("without the key, hashes and links are still checked");
    }

    [Fact]
    public void An_edited_field_breaks_it_at_that_record()
    {
        var c = Chain(5);
        c[2] = c[2] with { Reason = "nothing happened" };
        AuditChain.Verify(c, Keys).Should().Match<ChainVerdict>(v => !v.Ok && v.BadSeq == 3 && v.Problem.Contains("changed"));
    }

    [Fact]
    public void A_removed_record_breaks_it_where_it_was()
    {
        var c = Chain(5);
        c.RemoveAt(1);
        AuditChain.Verify(c, Keys).Should().Match<ChainVerdict>(v => !v.Ok && v.BadSeq == 2 && v.Problem.Contains("missing"));
    }

    [Fact]
    public void Swapped_records_break_it_at_the_first_of_them()
    {
        var c = Chain(5);
        (c[1], c[2]) = (c[2], c[1]);
        AuditChain.Verify(c, Keys).Should().Match<ChainVerdict>(v => !v.Ok && v.BadSeq == 2);
    }

    [Fact]
    public void A_record_inserted_and_renumbered_with_a_fresh_hash_fails_its_link_or_its_hmac()
    {
        var c = Chain(3);
        // Someone without the key rewrites record 2 completely and re-hashes it: the HMAC gives it away.
        var forged = c[1] with { Reason = "forged" };
        forged = forged with { Hash = forged.ComputeHash() };
        c[1] = forged;
        AuditChain.Verify(c, Keys).Should().Match<ChainVerdict>(v => !v.Ok && (v.BadSeq == 2 || v.BadSeq == 3));
        AuditChain.Verify([c[0], forged with { Hmac = AuditRecord.ComputeHmac(Key, forged.Hash) }], Keys).Ok.Should().BeTrue(
            "only someone holding the key can make a record that verifies");
    }

    [Fact]
    public void Records_cut_off_at_the_end_are_found_against_the_head()
    {
        var c = Chain(4);
        var head = new ChainHead(4, c[^1].Hash);
        AuditChain.Verify(c.Take(3).ToList(), Keys, head).Should().Match<ChainVerdict>(v => !v.Ok && v.Problem.Contains("removed at the end"));
    }

    [Fact]
    public void A_record_naming_an_unknown_key_version_fails()
    {
        var c = Chain(2);
        AuditChain.Verify(c, new Dictionary<string, byte[]> { ["v2"] = Key }).Should().Match<ChainVerdict>(v => !v.Ok && v.BadSeq == 1 && v.Problem.Contains("v1"));
    }

    [Fact]
    public void The_serialized_form_round_trips_and_keeps_the_hash()
    {
        var r = Chain(1)[0];
        var back = AuditRecord.FromJson(r.ToJson());
        back.ComputeHash().Should().Be(r.Hash);
        back.ToJson().Should().Be(r.ToJson());
    }
}
