using Prometheus;

namespace IsolationOperator.Engine;

/// <summary>Prometheus metrics on /metrics (prometheus-net: exposition format, histograms and the endpoint for free).</summary>
public static class OperatorMetrics
{
    public static readonly Counter Reconciles = Metrics.CreateCounter(
        "isolation_operator_reconciles_total", "Reconciles of DemoTenants by result.", "result");
    public static readonly Counter ReconcileErrors = Metrics.CreateCounter(
        "isolation_operator_reconcile_errors_total", "Reconciles that failed and were requeued with backoff.");
    public static readonly Histogram ReconcileDuration = Metrics.CreateHistogram(
        "isolation_operator_reconcile_duration_seconds", "Time spent in one reconcile.",
        new HistogramConfiguration { Buckets = Histogram.ExponentialBuckets(0.001, 2, 16) });
    public static readonly Gauge QueueDepth = Metrics.CreateGauge(
        "isolation_operator_workqueue_depth", "Tenants waiting to be reconciled.");
    public static readonly Counter EventsDropped = Metrics.CreateCounter(
        "isolation_operator_events_dropped_total", "Events not written: the queue was full, or the operator was stopping.");
    public static readonly Counter Writes = Metrics.CreateCounter(
        "isolation_operator_writes_total", "Writes to the API server by kind and verb.", "kind", "verb");
    public static readonly Counter DriftCorrections = Metrics.CreateCounter(
        "isolation_operator_drift_corrections_total", "Managed objects restored after someone else changed them.", "kind");
    public static readonly Counter AuditFailures = Metrics.CreateCounter(
        "isolation_operator_audit_failures_total", "Audit trail writes that failed (the record is written on a later pass).");
    public static readonly Counter Lists = Metrics.CreateCounter(
        "isolation_operator_list_calls_total", "List calls made by the informers (relists).", "kind");
    public static readonly Counter Relists = Metrics.CreateCounter(
        "isolation_operator_relists_total", "Relists after the first, by kind and reason (gone: 410; decode-error: a skipped event).", "kind", "reason");
    public static readonly Counter DecodeErrors = Metrics.CreateCounter(
        "isolation_operator_decode_errors_total", "Objects or watch events that could not be decoded and were skipped.", "kind");
    public static readonly Gauge VerificationFailures = Metrics.CreateGauge(
        "isolation_operator_verification_failures", "Failed isolation checks and paths found by the last verification, per tenant and check.", "tenant", "check");
    public static readonly Gauge SecondsSinceWatchActivity = Metrics.CreateGauge(
        "isolation_operator_informer_seconds_since_activity", "Seconds since an informer last saw an event, a bookmark, a list or a normally ended watch.", "kind");
    public static readonly Counter WatchErrors = Metrics.CreateCounter(
        "isolation_operator_watch_errors_total", "Watches that failed and were retried.", "kind");
    public static readonly Counter HeapCompactions = Metrics.CreateCounter(
        "isolation_operator_heap_compactions_total", "Compacting collections after a burst of work, which return its memory to the system.");
    public static readonly Gauge Leader = Metrics.CreateGauge(
        "isolation_operator_leader", "1 while this replica holds the leader lease.");
    public static readonly Counter LeaseRenewFailures = Metrics.CreateCounter(
        "isolation_operator_lease_renew_failures_total", "Renewals of the leader lease that failed (errors, or the lease found taken).");

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<ClusterCache, byte> Observed = new();
    private static readonly Lazy<bool> Callback = new(() =>
    {
        Metrics.DefaultRegistry.AddBeforeCollectCallback(() =>
        {
            foreach (var cache in Observed.Keys)
                foreach (var i in cache.All) SecondsSinceWatchActivity.WithLabels(i.Kind).Set(i.SinceLastActivity.TotalSeconds);
        });
        return true;
    });

    /// <summary>Reports this cache's informer ages on every scrape, until <see cref="Forget"/>.</summary>
    public static void Observe(ClusterCache cache)
    {
        _ = Callback.Value;
        Observed[cache] = 0;
    }

    public static void Forget(ClusterCache cache) => Observed.TryRemove(cache, out _);
}
