using IsolationOperator.Hosting;
using k8s;
using k8s.LeaderElection;
using k8s.LeaderElection.ResourceLock;
using Microsoft.Extensions.Logging;

namespace IsolationOperator.Engine;

/// <summary>
/// Runs the controller only while this replica holds the Lease, so two replicas never reconcile at once.
/// KubernetesClient's elector does not survive its own exceptions: each round is retried here with backoff.
/// </summary>
public sealed class LeaderElectedRunner
{
    private readonly IKubernetes _client;
    private readonly OperatorOptions _options;
    private readonly Func<CancellationToken, Task> _lead;
    private readonly ILogger _log;

    public LeaderElectedRunner(IKubernetes client, OperatorOptions options, Func<CancellationToken, Task> lead, ILogger log)
    {
        _client = client;
        _options = options;
        _lead = lead;
        _log = log;
    }

    public bool IsLeader { get; private set; }

    public async Task RunAsync(CancellationToken ct)
    {
        var failures = 0;
        while (!ct.IsCancellationRequested)
        {
            CancellationTokenSource? leading = null;
            Task? work = null;
            try
            {
                var lease = new LeaseLock(_client, _options.EffectiveLeaseNamespace, _options.LeaseName, _options.EffectiveIdentity);
                using var elector = new LeaderElector(new LeaderElectionConfig(lease)
                {
                    LeaseDuration = _options.LeaseDuration,
                    RenewDeadline = _options.RenewDeadline,
                    RetryPeriod = _options.RetryPeriod,
                });
                elector.OnStartedLeading += () =>
                {
                    IsLeader = true;
                    OperatorMetrics.Leader.Set(1);
                    _log.LogInformation("became leader ({Identity}) on lease {Namespace}/{Lease}", _options.EffectiveIdentity, _options.EffectiveLeaseNamespace, _options.LeaseName);
                    leading = CancellationTokenSource.CreateLinkedTokenSource(ct);
                    work = _lead(leading.Token);
                };
                elector.OnNewLeader += id => _log.LogInformation("current leader: {Leader}", id);
                await elector.RunUntilLeadershipLostAsync(ct);
                failures = 0;
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
            }
            catch (Exception e)
            {
                failures++;
                _log.LogWarning("leader election failed: {Error}", e.Message);
            }
            finally
            {
                if (leading is not null)
                {
                    // Stop reconciling before anyone else can take the lease (renew deadline < lease duration).
                    await leading.CancelAsync();
                    if (work is not null) await work.ContinueWith(_ => { }, TaskScheduler.Default);
                    leading.Dispose();
                    if (!ct.IsCancellationRequested) _log.LogWarning("lost leadership; standing by");
                }
                IsLeader = false;
                OperatorMetrics.Leader.Set(0);
            }
            if (failures > 0 && !ct.IsCancellationRequested)
                await Task.Delay(TimeSpan.FromSeconds(Math.Min(30, Math.Pow(2, failures))), ct).ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }
}
