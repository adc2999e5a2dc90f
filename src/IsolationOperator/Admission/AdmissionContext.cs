using IsolationOperator.Desired;
using IsolationOperator.Engine;
using IsolationOperator.Hosting;
using k8s;
using Microsoft.Extensions.Logging;

namespace IsolationOperator.Admission;

/// <summary>What reviewers may use: the API (reads only), the informer caches when warm, the policy and the clock.</summary>
public sealed class AdmissionContext(IKubernetes client, OperatorOptions options, Func<ClusterCache?> cache, TimeProvider time, ILoggerFactory logs)
{
    public IKubernetes Client { get; } = client;
    public OperatorOptions Options { get; } = options;
    public PlannerPolicy Policy { get; } = options.ToPlannerPolicy();
    public TimeProvider Time { get; } = time;
    public ILoggerFactory Logs { get; } = logs;

    /// <summary>The replica's caches once they hold a full list (every replica keeps them warm), else null: read the API.</summary>
    public ClusterCache? SyncedCache => cache() is { } c && c.All.All(i => i.Synced.IsCompletedSuccessfully) ? c : null;

    /// <summary>The caches whatever their state (a namespace cached is current; one not cached must be read).</summary>
    public ClusterCache? Cache => cache();
}
