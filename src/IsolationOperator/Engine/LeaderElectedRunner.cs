using Microsoft.Extensions.Logging;

namespace IsolationOperator.Engine;

/// <summary>
/// Runs the controller only while this replica holds the Lease, so two replicas never reconcile at once.
/// Leadership is held once per process: a replica that loses it stops its work and ends with
/// <see cref="LeadershipLostException"/> (the process exits and restarts with fresh caches, as controller-runtime does);
/// on shutdown it stops its work and then releases the Lease, so a standby takes over at once.
/// </summary>
public sealed class LeaderElectedRunner
{
    private readonly LeaseElector _elector;
    private readonly LeaseTimings _timings;
    private readonly Func<CancellationToken, Task> _lead;
    private readonly ILogger _log;

    public LeaderElectedRunner(LeaseElector elector, LeaseTimings timings, Func<CancellationToken, Task> lead, ILogger log)
    {
        _elector = elector;
        _timings = timings;
        _lead = lead;
        _log = log;
    }

    public bool IsLeader { get; private set; }

    public async Task RunAsync(CancellationToken ct)
    {
        try
        {
            await _elector.AcquireAsync(ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            return;
        }

        IsLeader = true;
        OperatorMetrics.Leader.Set(1);
        _log.LogInformation("became leader ({Identity}) on lease {Lease}", _elector.Identity, _elector.Lease);
        string? lost = null;
        using var leading = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var work = Task.Run(() => _lead(leading.Token), CancellationToken.None);
        var hold = _elector.HoldAsync(leading.Token);
        try
        {
            await Task.WhenAny(work, hold);
            if (hold.IsCompletedSuccessfully)
            {
                lost = hold.Result;
                _log.LogError("lost leadership of lease {Lease}: {Reason}; stopping all reconciling", _elector.Lease, lost);
            }
        }
        finally
        {
            // Stop the work (leadership ended) or the renewing (the work ended), and wait for both. The fence already
            // refuses the work's writes once the lease is lost; the wait is bounded so a stuck call cannot keep us here.
            await leading.CancelAsync();
            await Quietly(hold);
            if (!await Quietly(work).WaitAsync(_timings.LeaseDuration).ContinueWith(t => t.IsCompletedSuccessfully, TaskScheduler.Default))
                _log.LogWarning("the controller did not stop within {Wait}; exiting anyway", _timings.LeaseDuration);
            IsLeader = false;
            OperatorMetrics.Leader.Set(0);
            if (lost is null)
            {
                using var release = new CancellationTokenSource(_timings.RenewDeadline);
                await _elector.ReleaseAsync(release.Token);
            }
        }

        if (lost is not null) throw new LeadershipLostException($"lost leadership of lease {_elector.Lease}: {lost}");
        if (ct.IsCancellationRequested) return;
        await work; // the controller ended on its own: its exception, if any, is the process's exit reason
        throw new InvalidOperationException("the controller stopped without being asked to");
    }

    private static Task Quietly(Task t) => t.ContinueWith(_ => { }, TaskScheduler.Default);
}
