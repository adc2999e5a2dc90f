using System.Collections.Concurrent;
using System.Text.Json;
using IsolationOperator.Api.V1Alpha1;
using IsolationOperator.Desired;
using IsolationOperator.Engine;
using Microsoft.Extensions.Logging;

namespace IsolationOperator.Audit;

/// <summary>
/// Keeps every demo's trail: on each status write, the records that take the stored state to the state about to be
/// written are linked into the chain and stored before the status goes out (with, or before, what they describe);
/// each is also one JSON line on stdout for the log pipeline. A crash anywhere leaves the stored state behind the
/// world, never ahead of it, so the next pass records what is missing and nothing twice.
/// </summary>
public sealed class AuditTrail
{
    private readonly AuditStore _store;
    private readonly AuditKeys _keys;
    private readonly ClusterCache _cache;
    private readonly AuditOptions _options;
    private readonly OperatorRef _operator;
    private readonly TimeProvider _time;
    private readonly TextWriter _stdout;
    private readonly ILogger _log;
    private readonly ConcurrentDictionary<string, StoredHead> _heads = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _locks = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, (string Tenant, long Seq, string Hash)> _moved = new(StringComparer.Ordinal);

    public AuditTrail(AuditStore store, AuditKeys keys, ClusterCache cache, AuditOptions options, OperatorRef me, TimeProvider time, TextWriter stdout, ILogger log)
    {
        (_store, _keys, _cache, _options, _operator, _time, _stdout, _log) = (store, keys, cache, options, me, time, stdout, log);
    }

    /// <summary>
    /// Records what changed between the trail and <paramref name="next"/> (plus <paramref name="extra"/>: drift the pass
    /// repaired) and returns status.audit. With nothing new and status.audit current, it reads and writes nothing.
    /// </summary>
    public async Task<AuditStatus?> RecordAsync(DemoTenant t, DemoTenantStatus next, IReadOnlyList<AuditEntry> extra, bool requesters, CancellationToken ct,
        DateTimeOffset? deletedAt = null)
    {
        var uid = t.Metadata.Uid;
        if (string.IsNullOrEmpty(uid)) return next.Audit;
        var state = AuditState.Of(next, AccessOf(t, next.Namespace), deletedAt);
        var digest = state.Digest();
        if (extra.Count == 0 && !_heads.ContainsKey(uid) && t.Status?.Audit is { } shown && shown.State == digest) return shown;

        var gate = _locks.GetOrAdd(uid, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(ct);
        try
        {
            for (var attempt = 1; ; attempt++)
            {
                // A demo whose status shows no trail yet has none: its first write is a create (which fails, and
                // is retried with a read, if a trail exists after all), saving a read per new demo.
                var head = _heads.TryGetValue(uid, out var h) ? h
                    : attempt == 1 && t.Status?.Audit is null ? null : await _store.ReadHeadAsync(uid, ct);
                if (head is not null) _heads[uid] = head;
                var entries = AuditDiff.Between(head?.State, state, Requester(t, RequesterKind.RequestedBy, requesters), Requester(t, RequesterKind.LastChangedBy, requesters),
                    ExpiredAccess(t)).Concat(extra).ToList();
                if (entries.Count == 0 && head?.State?.ToJson() == state.ToJson()) return Status(head!, digest, t.Status?.Audit?.Recent);
                var (version, key) = await _keys.CurrentAsync(ct);
                var chain = head?.Head ?? ChainHead.Empty;
                var records = new List<AuditRecord>();
                foreach (var e in entries)
                {
                    var r = AuditChain.Link(Draft(t, e), chain, version, key);
                    records.Add(r);
                    chain = new ChainHead(r.Seq, r.Hash);
                }
                try
                {
                    var stored = await _store.AppendAsync(head, t.Metadata.Name, uid, records, state, ct);
                    _heads[uid] = stored;
                    foreach (var r in records) await _stdout.WriteLineAsync(JsonSerializer.Serialize(new { audit = r }));
                    if (records.Count > 0) _moved[uid] = (t.Metadata.Name, stored.Seq, stored.Hash);
                    // The DemoTenant goes now: nothing more to remember of it here (the store keeps the trail).
                    if (deletedAt is not null) _heads.TryRemove(uid, out _);
                    return Status(stored, digest, Recent(t.Status?.Audit?.Recent, records));
                }
                catch (AuditConflictException) when (attempt < 3)
                {
                    // Another writer (a previous leader, or our own write whose answer was lost): read the head again.
                    _heads.TryRemove(uid, out _);
                }
            }
        }
        finally
        {
            gate.Release();
            // Nothing more will be recorded for a deleted demo: its gate goes too (a late writer makes a new one, and the
            // store's compare-and-swap still keeps two writers from forking the chain).
            if (deletedAt is not null) _locks.TryRemove(uid, out _);
        }
    }

    /// <summary>
    /// <see cref="RecordAsync"/>, but a trail that cannot be written (no permission, API down) does not hold up the
    /// status: the stored state stays behind, so the next pass records what is missing. Counted and logged.
    /// </summary>
    public async Task<AuditStatus?> TryRecordAsync(DemoTenant t, DemoTenantStatus next, IReadOnlyList<AuditEntry> extra, bool requesters, CancellationToken ct)
    {
        try { return await RecordAsync(t, next, extra, requesters, ct); }
        catch (Exception e) when (e is k8s.Autorest.HttpOperationException or HttpRequestException or AuditConflictException or InvalidOperationException or JsonException)
        {
            OperatorMetrics.AuditFailures.Inc();
            _log.LogWarning("audit: could not record for DemoTenant {Tenant} ({Message}); it is recorded on a later pass", t.Metadata.Name, e.Message);
            return t.Status?.Audit;
        }
    }

    /// <summary>While leading: anchors the heads that moved into stdout every AnchorPeriod, and applies retention
    /// hourly (or every retention period, when that is shorter).</summary>
    public async Task RunAsync(CancellationToken ct)
    {
        var nextSweep = _time.GetUtcNow();
        var sweepEvery = TimeSpan.FromTicks(Math.Max(TimeSpan.FromSeconds(1).Ticks, Math.Min(_options.Retention.Ticks, TimeSpan.FromHours(1).Ticks)));
        using var timer = new PeriodicTimer(TimeSpan.FromTicks(Math.Max(TimeSpan.FromSeconds(1).Ticks, Math.Min(_options.AnchorPeriod.Ticks, sweepEvery.Ticks))), _time);
        try
        {
            while (await timer.WaitForNextTickAsync(ct))
            {
                await AnchorAsync();
                if (_time.GetUtcNow() < nextSweep) continue;
                nextSweep = _time.GetUtcNow() + sweepEvery;
                try { await SweepAsync(ct); }
                catch (Exception e) when (e is not OperationCanceledException) { _log.LogWarning("audit retention sweep failed: {Message}", e.Message); }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested) { }
        finally { await AnchorAsync(); }
    }

    /// <summary>One line naming each chain head that moved since the last anchor: an outside copy to check the store against.</summary>
    public async Task AnchorAsync()
    {
        var moved = _moved.Keys.ToList();
        if (moved.Count == 0) return;
        var heads = moved.Select(uid => _moved.TryRemove(uid, out var m) ? new { tenant = m.Tenant, uid, seq = m.Seq, hash = m.Hash } : null).OfType<object>().ToList();
        foreach (var chunk in heads.Chunk(200))
            await _stdout.WriteLineAsync(JsonSerializer.Serialize(new { auditAnchor = new { time = _time.GetUtcNow(), heads = chunk } }));
    }

    /// <summary>Trails of demos deleted longer ago than the retention period go; all others stay.</summary>
    public async Task SweepAsync(CancellationToken ct)
    {
        var now = _time.GetUtcNow();
        foreach (var head in await _store.ListHeadsAsync(ct, ownOnly: true))
        {
            if (head.State?.DeletedAt is not { } deleted || deleted + _options.Retention > now) continue;
            _log.LogInformation("audit: trail of deleted demo {Tenant} ({Uid}) is past retention ({Retention}); removing it", head.Tenant, head.Uid, _options.Retention);
            await _store.DeleteTrailAsync(head, ct);
            _heads.TryRemove(head.Uid, out _);
        }
    }

    private AuditRecord Draft(DemoTenant t, AuditEntry e) => new()
    {
        Tenant = t.Metadata.Name, Uid = t.Metadata.Uid, Seq = 0, Time = _time.GetUtcNow(), Action = e.Action,
        Objects = e.Objects.Take(50).ToList(), Reason = e.Reason.Length > 1000 ? e.Reason[..997] + "..." : e.Reason,
        Generation = t.Metadata.Generation, Requester = e.Requester, Operator = _operator,
    };

    // No head before the first record: the API server takes an empty string here as null, which the schema refuses.
    private static AuditStatus Status(StoredHead head, string digest, IList<AuditSummary>? recent) =>
        new() { Records = head.Seq, Head = head.Seq == 0 ? null : head.Hash, State = head.State?.Digest() ?? digest, Recent = recent is { Count: > 0 } ? recent : null };

    /// <summary>status.audit.recent after <paramref name="added"/>: the newest records, oldest first, at most ten (Objects cut to five).</summary>
    public static IList<AuditSummary> Recent(IEnumerable<AuditSummary>? before, IEnumerable<AuditRecord> added) =>
        (before ?? []).Concat(added.Select(r => new AuditSummary
        {
            Seq = r.Seq, Time = r.Time, Action = r.Action, Objects = r.Objects.Take(5).ToList(), By = r.Requester?.User,
        })).GroupBy(r => r.Seq).Select(g => g.Last()).OrderBy(r => r.Seq).TakeLast(AuditStatus.RecentLimit).ToList();

    /// <summary>People bound in the demo's namespace now, from the cache: the operator's own binding and ServiceAccounts aside.</summary>
    private IEnumerable<string> AccessOf(DemoTenant t, string? ns)
    {
        if (string.IsNullOrEmpty(ns)) return [];
        return _cache.RoleBindings.InNamespace(ns)
            .Where(b => TenantLabels.TenantOf(b.Metadata) == t.Metadata.Name && b.Metadata.Name != RbacBuilder.OperatorBindingName)
            .SelectMany(b => (b.Subjects ?? []).Select(s => Person(ns, s) is { } who ? $"{who} ({b.RoleRef.Name})" : null).OfType<string>());
    }

    /// <summary>A user, a group, or a guest by its name (its account's label); other ServiceAccounts are not people.</summary>
    private string? Person(string ns, k8s.Models.Rbacv1Subject s) => s.Kind switch
    {
        "User" or "Group" => $"{s.Kind} {s.Name}",
        "ServiceAccount" when Guests.IsSlot(s.Name) && _cache.ServiceAccounts.Get(ns, s.Name)?.Metadata.Labels?.TryGetValue(Guests.GuestLabel, out var guest) == true
            => $"{Guests.Kind} {guest}",
        _ => null,
    };

    private IReadOnlyCollection<string> ExpiredAccess(DemoTenant t) =>
        (t.Spec.Access ?? []).Where(a => a.ExpiresAt is { } at && at <= _time.GetUtcNow()).Select(a => $"{a.Kind} {a.Name}").ToList();

    private enum RequesterKind { RequestedBy, LastChangedBy }

    /// <summary>The admission identity, only when the webhook is on (off, the annotations could be anyone's).</summary>
    private static Requester? Requester(DemoTenant t, RequesterKind kind, bool requesters) => !requesters ? null
        : Admission.RequesterAnnotations.Of(t.Metadata, kind == RequesterKind.RequestedBy ? Admission.RequesterAnnotations.RequestedBy : Admission.RequesterAnnotations.LastChangedBy);
}
