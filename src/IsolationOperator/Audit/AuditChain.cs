namespace IsolationOperator.Audit;

/// <summary>The head of one demo's chain: the last sequence number and hash (zero and "" before the first record).</summary>
public sealed record ChainHead(long Seq, string Hash)
{
    public static readonly ChainHead Empty = new(0, "");
}

/// <summary>What <see cref="AuditChain.Verify"/> found: OK, or the first bad record and why.</summary>
public sealed record ChainVerdict(bool Ok, long Records, long? BadSeq, string Problem)
{
    public static ChainVerdict Good(long n) => new(true, n, null, "");
}

/// <summary>
/// Links records into a chain (each holds the previous hash, its own hash, and an HMAC with a versioned key) and
/// checks one: an edited, removed, reordered or inserted record breaks verification at that record. Pure.
/// </summary>
public static class AuditChain
{
    public static AuditRecord Link(AuditRecord draft, ChainHead head, string keyVersion, byte[] key)
    {
        var linked = draft with { Seq = head.Seq + 1, Prev = head.Hash, Key = keyVersion, Hash = "", Hmac = "" };
        var hash = linked.ComputeHash();
        return linked with { Hash = hash, Hmac = AuditRecord.ComputeHmac(key, hash) };
    }

    /// <param name="records">In stored order (by sequence key).</param>
    /// <param name="keys">Key versions to bytes; null: HMACs are not checked (the caller cannot read the key).</param>
    /// <param name="head">The head the store claims (or status shows): a tail cut off is found against it.</param>
    public static ChainVerdict Verify(IReadOnlyList<AuditRecord> records, IReadOnlyDictionary<string, byte[]>? keys, ChainHead? head = null)
    {
        var prev = "";
        for (var i = 0; i < records.Count; i++)
        {
            var r = records[i];
            var expected = i + 1;
            if (r.Seq != expected)
                return new(false, records.Count, expected, r.Seq > expected ? $"record {expected} is missing (next found is {r.Seq})" : $"record {r.Seq} is out of place (expected {expected})");
            if (r.Prev != prev) return new(false, records.Count, r.Seq, $"record {r.Seq} does not follow record {r.Seq - 1} (its prev hash differs: removed, reordered or inserted)");
            if (r.ComputeHash() != r.Hash) return new(false, records.Count, r.Seq, $"record {r.Seq} was changed after it was written (its hash does not match its fields)");
            if (keys is not null)
            {
                if (!keys.TryGetValue(r.Key, out var key)) return new(false, records.Count, r.Seq, $"record {r.Seq} names key {r.Key}, which the key Secret does not hold");
                if (AuditRecord.ComputeHmac(key, r.Hash) != r.Hmac) return new(false, records.Count, r.Seq, $"record {r.Seq} has an HMAC that the key {r.Key} did not make (rewritten without the key)");
            }
            prev = r.Hash;
        }
        if (head is { } h && (h.Seq != records.Count || h.Hash != prev))
            return new(false, records.Count, Math.Min(h.Seq, records.Count + 1),
                $"the head says {h.Seq} records ending in {Short(h.Hash)}, but the chain has {records.Count} ending in {Short(prev)} (records removed at the end)");
        return ChainVerdict.Good(records.Count);
    }

    public static string Short(string hash) => hash.Length > 12 ? hash[..12] : hash.Length == 0 ? "(none)" : hash;
}
