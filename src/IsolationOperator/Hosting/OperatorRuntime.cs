using IsolationOperator.Engine;
using k8s;
using Microsoft.Extensions.Logging;

namespace IsolationOperator.Hosting;

/// <summary>The operator without its web host: controller, optionally behind leader election. Tests run this directly.</summary>
public sealed class OperatorRuntime
{
    private readonly TenantController _controller;
    private readonly LeaderElectedRunner? _election;

    public OperatorRuntime(IKubernetes client, OperatorOptions options, TimeProvider time, ILoggerFactory logs)
    {
        _controller = new TenantController(client, options, time, logs);
        if (options.LeaderElection)
            _election = new LeaderElectedRunner(client, options, _controller.RunAsync, logs.CreateLogger<LeaderElectedRunner>());
    }

    public bool IsLeader => _election?.IsLeader ?? true;

    /// <summary>Ready: a standby replica is ready to take over; the leader once its caches are synced.</summary>
    public bool Ready => !IsLeader || _controller.Synced;

    /// <summary>Null while healthy; else why /healthz fails (only the leader's controller can be unhealthy).</summary>
    public string? HealthProblem => IsLeader ? _controller.HealthProblem : null;

    public Task RunAsync(CancellationToken ct) => _election is null ? _controller.RunAsync(ct) : _election.RunAsync(ct);
}
