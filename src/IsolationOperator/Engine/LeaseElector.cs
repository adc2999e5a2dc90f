using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace IsolationOperator.Engine;

/// <summary>
/// Leader election over one coordination.k8s.io/v1 Lease (get, create, update with its resourceVersion), with
/// client-go's semantics: acquire when the Lease is free or unchanged for its duration by this replica's clock;
/// renew every RetryPeriod, retrying any error until RenewDeadline has passed since the last renewal.
/// </summary>
public sealed class LeaseElector
{
    private readonly IKubernetes _client;
    private readonly string _namespace;
    private readonly string _name;
    private readonly LeaseTimings _timings;
    private readonly TimeProvider _time;
    private readonly ILogger _log;

    private LeaseRecord? _observed;
    private long _observedAt;
    private V1Lease? _held;
    private long _renewedAt;

    public LeaseElector(IKubernetes client, string ns, string name, string identity, LeaseTimings timings, TimeProvider time, ILogger log)
    {
        _client = client;
        _namespace = ns;
        _name = name;
        Identity = identity;
        _timings = timings;
        _time = time;
        _log = log;
        Fence = new LeadershipFence(time);
    }

    public string Identity { get; }
    public string Lease => $"{_namespace}/{_name}";

    /// <summary>Open while this replica may write as the leader.</summary>
    public LeadershipFence Fence { get; }

    /// <summary>Returns once this replica holds the Lease; tries every RetryPeriod. Throws when <paramref name="ct"/> is cancelled.</summary>
    public async Task AcquireAsync(CancellationToken ct)
    {
        while (true)
        {
            using var attempt = CancellationTokenSource.CreateLinkedTokenSource(ct);
            attempt.CancelAfter(_timings.RenewDeadline);
            try
            {
                if (await TryAcquireOrRenewAsync(attempt.Token) == LeaseVerdict.Renew) return;
            }
            catch (Exception e) when (!ct.IsCancellationRequested)
            {
                _log.LogWarning("cannot acquire lease {Lease}: {Error}", Lease, ApiErrors.Message(e));
            }
            await Task.Delay(_timings.RetryPeriod, _time, ct);
        }
    }

    /// <summary>
    /// Renews until leadership is lost and returns why: someone else holds the Lease, or no renewal succeeded within
    /// RenewDeadline. The fence closes at that moment. Throws when <paramref name="ct"/> is cancelled.
    /// </summary>
    public async Task<string> HoldAsync(CancellationToken ct)
    {
        while (true)
        {
            await Task.Delay(_timings.RetryPeriod, _time, ct);
            var left = _timings.RenewDeadline - _time.GetElapsedTime(_renewedAt);
            if (left <= TimeSpan.Zero) return Lost($"not renewed within the renew deadline ({_timings.RenewDeadline})");
            using var attempt = CancellationTokenSource.CreateLinkedTokenSource(ct);
            attempt.CancelAfter(left);
            try
            {
                if (await TryAcquireOrRenewAsync(attempt.Token) == LeaseVerdict.Renew) continue;
                // Someone else holds it: it was taken over, so waiting out the deadline cannot bring it back.
                OperatorMetrics.LeaseRenewFailures.Inc();
                return Lost($"the lease is held by {_observed?.Holder}");
            }
            catch (Exception e) when (!ct.IsCancellationRequested)
            {
                OperatorMetrics.LeaseRenewFailures.Inc();
                _log.LogWarning("renewing lease {Lease} failed, retrying until the renew deadline: {Error}", Lease, ApiErrors.Message(e));
            }
        }
    }

    /// <summary>
    /// Hands the Lease over at once (empty holder, 1 s duration), only while it still names this replica: the update
    /// carries the resourceVersion it was read or written with, so a Lease someone else took is never released.
    /// Closes the fence first.
    /// </summary>
    public async Task ReleaseAsync(CancellationToken ct)
    {
        Fence.Close();
        if (_held is not { } lease) return;
        _held = null;
        try
        {
            if (!await TryReleaseAsync(lease, ct))
            {
                // Our last renewal may have succeeded unanswered (a timeout): look once more before giving up.
                if (await ReadAsync(ct) is { } current && current.Spec?.HolderIdentity == Identity) await TryReleaseAsync(current, ct);
            }
        }
        catch (Exception e)
        {
            _log.LogWarning("could not release lease {Lease} (a standby takes it when it expires): {Error}", Lease, ApiErrors.Message(e));
        }
    }

    private async Task<bool> TryReleaseAsync(V1Lease lease, CancellationToken ct)
    {
        lease.Spec = LeaseRecord.From(lease)!.Released(WholeMicroseconds(_time.GetUtcNow().UtcDateTime)).ToSpec();
        try
        {
            await _client.CoordinationV1.ReplaceNamespacedLeaseAsync(lease, _name, _namespace, cancellationToken: ct);
            _log.LogInformation("released lease {Lease}", Lease);
            return true;
        }
        catch (Exception e) when (ApiErrors.IsConflict(e))
        {
            return false;
        }
    }

    /// <summary>One look and at most one write. Renew means this replica holds the Lease now; throws on any API error.</summary>
    private async Task<LeaseVerdict> TryAcquireOrRenewAsync(CancellationToken ct)
    {
        // Taken before the write leaves: the fence must never outlast what the API server recorded.
        var sent = _time.GetTimestamp();
        var now = WholeMicroseconds(_time.GetUtcNow().UtcDateTime);
        if (_held is { } mine && await TryRenewHeldAsync(mine, sent, now, ct)) return LeaseVerdict.Renew;
        var lease = await ReadAsync(ct);
        var record = LeaseRecord.From(lease);
        Observe(record);

        var verdict = LeaseDecision.Decide(record, Identity, _time.GetElapsedTime(_observedAt), _timings.LeaseDuration);
        if (verdict == LeaseVerdict.HeldByOther) return verdict;

        var next = verdict == LeaseVerdict.Renew
            ? record!.RenewedBy(Identity, _timings.LeaseDurationSeconds, now)
            : LeaseRecord.TakenFrom(record, Identity, _timings.LeaseDurationSeconds, now);
        V1Lease written;
        if (lease is null)
        {
            written = await _client.CoordinationV1.CreateNamespacedLeaseAsync(
                new V1Lease { Metadata = new V1ObjectMeta { Name = _name, NamespaceProperty = _namespace }, Spec = next.ToSpec() },
                _namespace, cancellationToken: ct);
        }
        else
        {
            // The resourceVersion from the read: if anyone wrote since, this fails with a conflict.
            lease.Spec = next.ToSpec();
            written = await _client.CoordinationV1.ReplaceNamespacedLeaseAsync(lease, _name, _namespace, cancellationToken: ct);
        }

        Held(written, next, sent);
        return LeaseVerdict.Renew;
    }

    /// <summary>
    /// A leader renews from the Lease it wrote last, one round trip instead of two (as client-go does): its
    /// resourceVersion proves nobody wrote since. A conflict means someone did: then read and decide again.
    /// </summary>
    private async Task<bool> TryRenewHeldAsync(V1Lease mine, long sent, DateTime now, CancellationToken ct)
    {
        var next = LeaseRecord.From(mine)!.RenewedBy(Identity, _timings.LeaseDurationSeconds, now);
        mine.Spec = next.ToSpec();
        try
        {
            Held(await _client.CoordinationV1.ReplaceNamespacedLeaseAsync(mine, _name, _namespace, cancellationToken: ct), next, sent);
            return true;
        }
        catch (Exception e) when (ApiErrors.IsConflict(e))
        {
            _held = null;
            return false;
        }
    }

    private void Held(V1Lease written, LeaseRecord record, long sent)
    {
        _held = written;
        _renewedAt = sent;
        Fence.OpenFor(sent, _timings.RenewDeadline);
        Observe(record);
    }

    private async Task<V1Lease?> ReadAsync(CancellationToken ct)
    {
        try
        {
            return await _client.CoordinationV1.ReadNamespacedLeaseAsync(_name, _namespace, cancellationToken: ct);
        }
        catch (Exception e) when (ApiErrors.IsNotFound(e, "leases"))
        {
            return null;
        }
    }

    /// <summary>Expiry counts from the moment this replica first saw the record as it is: its own clock, never the holder's.</summary>
    private void Observe(LeaseRecord? record)
    {
        if (record == _observed && _observedAt != 0) return;
        if (record?.Holder is { Length: > 0 } holder && holder != _observed?.Holder)
            _log.LogInformation("current leader: {Leader}", holder);
        _observed = record;
        _observedAt = _time.GetTimestamp();
    }

    /// <summary>The Lease stores microseconds: a record read back then equals the one written.</summary>
    private static DateTime WholeMicroseconds(DateTime t) => new(t.Ticks - t.Ticks % 10, DateTimeKind.Utc);

    private string Lost(string reason)
    {
        Fence.Close();
        _held = null;
        return reason;
    }
}
