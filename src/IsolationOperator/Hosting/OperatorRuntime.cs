using IsolationOperator.Admission;
using IsolationOperator.Engine;
using k8s;
using Microsoft.Extensions.Logging;

namespace IsolationOperator.Hosting;

/// <summary>The operator without its web host: controller, optionally behind leader election. Tests run this directly.</summary>
public sealed class OperatorRuntime
{
    private readonly TenantController _controller;
    private readonly LeaderElectedRunner? _election;
    private readonly Func<AdmissionServer>? _admission;

    /// <param name="client">The Lease's client, and the controller's unless <paramref name="fencedClient"/> is given.</param>
    /// <param name="fencedClient">
    /// Builds the controller's own client with the given handler in its pipeline: the handler refuses the controller's
    /// writes whenever this replica does not hold the Lease (a paused leader that wakes up after a takeover).
    /// </param>
    public OperatorRuntime(IKubernetes client, OperatorOptions options, TimeProvider time, ILoggerFactory logs,
        Func<DelegatingHandler, IKubernetes>? fencedClient = null)
    {
        options.Webhook.Validate();
        // Every replica serves admission (not only the leader); it reads only, so it uses the unfenced client.
        if (options.Webhook.Enabled) _admission = () => new AdmissionServer(client, options, time, logs, () => _controller?.Cache);
        if (!options.LeaderElection)
        {
            _controller = new TenantController(client, options, time, logs);
            return;
        }

        var timings = options.ToLeaseTimings();
        var elector = new LeaseElector(client, options.EffectiveLeaseNamespace, options.LeaseName, options.EffectiveIdentity,
            timings, time, logs.CreateLogger<LeaseElector>());
        var controllerClient = fencedClient?.Invoke(new FencedWritesHandler(elector.Fence)) ?? client;
        _controller = new TenantController(controllerClient, options, time, logs);
        _election = new LeaderElectedRunner(elector, timings, _controller.RunAsync, logs.CreateLogger<LeaderElectedRunner>());
    }

    public bool IsLeader => _election?.IsLeader ?? true;

    /// <summary>Where audit records and anchors go as JSON lines (stdout unless a host says otherwise).</summary>
    public TextWriter AuditOutput { get => _controller.AuditOutput; set => _controller.AuditOutput = value; }

    /// <summary>Ready: a standby replica is ready to take over; the leader once its caches are synced.</summary>
    public bool Ready => !IsLeader || _controller.Synced;

    /// <summary>Null while healthy; else why /healthz fails (only the leader's controller can be unhealthy).</summary>
    public string? HealthProblem => IsLeader ? _controller.HealthProblem : null;

    /// <summary>
    /// Returns when <paramref name="ct"/> is cancelled. Throws <see cref="LeadershipLostException"/> when the Lease is
    /// lost, and the controller's exception when it fails.
    /// </summary>
    public async Task RunAsync(CancellationToken ct)
    {
        await using var admission = _admission?.Invoke();
        var run = RunControllerAsync(ct);
        if (admission is not null)
        {
            // The controller starts at once; the webhooks as soon as they have a certificate.
            var started = admission.StartAsync(ct);
            await Task.WhenAny(started, run);
            if (started.IsFaulted && !ct.IsCancellationRequested) await started; // e.g. the port is taken: a start error
        }
        await run;
    }

    private Task RunControllerAsync(CancellationToken ct)
    {
        if (_election is null) return _controller.RunAsync(ct);
        // A standby keeps its caches warm, so a takeover reconciles at once.
        _ = _controller.WarmAsync(ct);
        return _election.RunAsync(ct);
    }
}
