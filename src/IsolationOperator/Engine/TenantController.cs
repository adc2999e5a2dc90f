using IsolationOperator.Desired;
using IsolationOperator.Hosting;
using IsolationOperator.Reconciliation;
using k8s;
using Microsoft.Extensions.Logging;

namespace IsolationOperator.Engine;

/// <summary>Informers feed a work queue keyed by tenant name; workers reconcile keys with backoff and deadlines.</summary>
public sealed class TenantController
{
    private readonly IKubernetes _client;
    private readonly OperatorOptions _options;
    private readonly TimeProvider _time;
    private readonly ILoggerFactory _logs;
    private readonly ILogger _log;
    private volatile bool _synced;
    private ClusterCache? _cache;
    private readonly object _warmGate = new();
    private (ClusterCache Cache, Task Informers)? _warm;
    private DateTimeOffset _started;
    /// <summary>How long a stopping controller still writes the events its last passes queued.</summary>
    private static readonly TimeSpan EventDrainTime = TimeSpan.FromSeconds(3);

    /// <summary>Where audit records and anchors go as JSON lines: stdout, for the cluster's log pipeline.</summary>
    public TextWriter AuditOutput { get; set; } = Console.Out;

    public TenantController(IKubernetes client, OperatorOptions options, TimeProvider time, ILoggerFactory logs)
    {
        _client = client;
        _options = options;
        _time = time;
        _logs = logs;
        _log = logs.CreateLogger<TenantController>();
    }

    /// <summary>The informer caches while they run (warm on a standby too), else null: the admission webhooks read them.</summary>
    public ClusterCache? Cache { get { lock (_warmGate) return _warm?.Cache; } }

    /// <summary>True once every cache holds a full list: before that, a reconcile could mistake "not cached" for "absent".</summary>
    public bool Synced => _synced;

    /// <summary>
    /// Why this replica should be restarted, or null: caches not synced within the sync timeout, or an informer with
    /// no sign of life for twice its watch timeout (a healthy idle watch is renewed by the server once per timeout).
    /// </summary>
    public string? HealthProblem
    {
        get
        {
            if (_cache is not { } cache) return null;
            if (!_synced && _time.GetUtcNow() - _started > _options.CacheSyncTimeout)
                return $"caches not synced after {_options.CacheSyncTimeout.TotalSeconds:0}s";
            var silent = cache.All.FirstOrDefault(i => i.SinceLastActivity > 2 * i.WatchTimeout + TimeSpan.FromSeconds(30));
            return silent is null ? null : $"{silent.Kind} informer silent for {silent.SinceLastActivity.TotalSeconds:0}s";
        }
    }

    /// <summary>
    /// Fills the caches for the whole life of the process, leader or not (as controller-runtime's manager does): a
    /// standby that takes over already holds the world and starts reconciling at once, instead of relisting it.
    /// </summary>
    public Task WarmAsync(CancellationToken lifetime) => StartCaches(lifetime).Informers;

    private (ClusterCache Cache, Task Informers) StartCaches(CancellationToken lifetime)
    {
        lock (_warmGate)
        {
            if (_warm is { } warm) return warm;
            var cache = new ClusterCache(_client, _options.TenantSelector, _logs, _options.WatchTimeout);
            Task Run(IInformer i) => Task.Run(() => i.RunAsync(lifetime), CancellationToken.None);
            var informers = Task.Run(async () =>
            {
                // Namespaces first: the other informers keep only objects in managed namespaces, so they need that list.
                var first = new List<Task> { Run(cache.Namespaces), Run(cache.Tenants) };
                try { await cache.Namespaces.Synced.WaitAsync(lifetime); }
                catch (OperationCanceledException) { await Task.WhenAll(first); return; }
                await Task.WhenAll([.. first, .. cache.InManagedNamespaces.Select(Run)]);
            }, CancellationToken.None);
            _warm = (cache, informers);
            return _warm.Value;
        }
    }

    public async Task RunAsync(CancellationToken ct)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        // Caches already warm (a standby that took over) stay the process's; otherwise they live as long as this run.
        var ownsCaches = _warm is null;
        var (cache, informers) = StartCaches(stop.Token);
        _started = _time.GetUtcNow();
        _cache = cache;
        OperatorMetrics.Observe(cache);
        using var queue = new WorkQueue(_time);
        cache.Tenants.Changed += (old, now) => queue.Add((now ?? old)!.Metadata.Name);
        // Owned objects are watched cluster-wide; only tenants this replica handles (the selector) are queued for them.
        cache.OnOwnedChange(name => { if (cache.Tenants.Get(null, name) is not null) queue.Add(name); });
        var events = new EventRecorder(_client, _options.EffectiveIdentity, _logs.CreateLogger<EventRecorder>());
        cache.Tenants.Undecodable += name => events.Record(new Api.V1Alpha1.DemoTenant { Metadata = new k8s.Models.V1ObjectMeta { Name = name } },
            EventRecorder.Warning, "Unreadable", "Read", $"DemoTenant {name} has a field the operator cannot read (e.g. a date-time not in RFC 3339 form); it is skipped until the field is fixed.");
        // Stopped only after the workers, so their last events are still written (within the drain time).
        using var eventsStop = new CancellationTokenSource();
        var eventWriter = Task.Run(() => events.RunAsync(EventDrainTime, eventsStop.Token), CancellationToken.None);
        var audit = !_options.Audit.Enabled ? null : new Audit.AuditTrail(new Audit.AuditStore(_client, _options.EffectiveAuditNamespace, Audit.AuditStore.ShardOf(_options.TenantSelector)),
            new Audit.AuditKeys(_client, _options.EffectiveAuditNamespace, _options.Audit.KeySecret, _time), cache, _options.Audit,
            new Audit.OperatorRef { Identity = _options.SelfUser ?? _options.EffectiveIdentity, Version = Hosting.BuildInfo.Version }, _time, AuditOutput,
            _logs.CreateLogger<Audit.AuditTrail>());
        var reconciler = new DemoTenantReconciler(_client, cache, events, _time,
            new ReconcilerSettings(_options.ExpiringWindow, _options.MaxClockSkew, _options.ToPlannerPolicy(), _options.Webhook.Enabled,
                _options.RequirePodSecurity, _options.PodSecurityCheckPeriod, _options.SecretReadPeriod, _options.VerificationPeriod), _logs.CreateLogger<DemoTenantReconciler>(),
            audit);

        try
        {
            using var syncDeadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
            syncDeadline.CancelAfter(_options.CacheSyncTimeout);
            try
            {
                await Task.WhenAll(cache.All.Select(i => i.Synced)).WaitAsync(syncDeadline.Token);
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                var waiting = string.Join(", ", cache.All.Where(i => !i.Synced.IsCompleted).Select(i => i.Kind));
                // A leader that cannot sync must not keep the Lease: fail, so the process exits and another replica leads.
                throw new CacheSyncTimeoutException($"caches not synced within {_options.CacheSyncTimeout.TotalSeconds:0}s (waiting for {waiting})");
            }
            _synced = true;
            _log.LogInformation("caches synced: {Tenants} DemoTenants, {Namespaces} managed namespaces", cache.Tenants.Count, cache.Namespaces.Count);
            foreach (var t in cache.Tenants.Items) queue.Add(t.Metadata.Name);

            var workers = Enumerable.Range(0, Math.Max(1, _options.Workers))
                .Select(_ => Task.Run(() => WorkAsync(queue, reconciler, stop.Token), CancellationToken.None)).ToList();
            var resync = Task.Run(async () =>
            {
                using var timer = new PeriodicTimer(_options.ResyncPeriod, _time);
                while (await timer.WaitForNextTickAsync(stop.Token))
                    foreach (var t in cache.Tenants.Items) queue.Add(t.Metadata.Name);
            }, CancellationToken.None);
            var anchors = audit is null ? Task.CompletedTask : Task.Run(() => audit.RunAsync(stop.Token), CancellationToken.None);
            await Task.WhenAll(workers);
            await resync.ContinueWith(_ => { }, TaskScheduler.Default);
            await anchors.ContinueWith(_ => { }, TaskScheduler.Default);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
        finally
        {
            OperatorMetrics.Forget(cache);
            _synced = false;
            await stop.CancelAsync();
            await eventsStop.CancelAsync();
            await eventWriter.ContinueWith(_ => { }, TaskScheduler.Default);
            if (ownsCaches)
            {
                await informers.ContinueWith(_ => { }, TaskScheduler.Default);
                lock (_warmGate) _warm = null;
            }
        }
    }

    private async Task WorkAsync(WorkQueue queue, DemoTenantReconciler reconciler, CancellationToken ct)
    {
        while (await queue.TakeAsync(ct) is { } key)
        {
            var started = _time.GetTimestamp();
            try
            {
                var result = await reconciler.ReconcileAsync(key, ct);
                queue.Forget(key);
                if (result.RequeueAfter is { } after) queue.AddAfter(key, after);
                OperatorMetrics.Reconciles.WithLabels("success").Inc();
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                var delay = queue.AddRateLimited(key);
                OperatorMetrics.Reconciles.WithLabels("error").Inc();
                OperatorMetrics.ReconcileErrors.Inc();
                _log.LogWarning("reconcile of DemoTenant {Tenant} failed, retrying in {Delay:0.###}s: {Error}", key, delay.TotalSeconds, e.Message);
            }
            finally
            {
                OperatorMetrics.ReconcileDuration.Observe(_time.GetElapsedTime(started).TotalSeconds);
                queue.Done(key);
            }
        }
    }
}

public sealed class CacheSyncTimeoutException(string message) : Exception(message);
