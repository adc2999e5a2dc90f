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
    public static readonly Counter Writes = Metrics.CreateCounter(
        "isolation_operator_writes_total", "Writes to the API server by kind and verb.", "kind", "verb");
    public static readonly Counter DriftCorrections = Metrics.CreateCounter(
        "isolation_operator_drift_corrections_total", "Managed objects restored after someone else changed them.", "kind");
    public static readonly Counter Lists = Metrics.CreateCounter(
        "isolation_operator_list_calls_total", "List calls made by the informers (relists).", "kind");
    public static readonly Counter WatchErrors = Metrics.CreateCounter(
        "isolation_operator_watch_errors_total", "Watches that failed and were retried.", "kind");
    public static readonly Gauge Leader = Metrics.CreateGauge(
        "isolation_operator_leader", "1 while this replica holds the leader lease.");
    public static readonly Counter LeaseRenewFailures = Metrics.CreateCounter(
        "isolation_operator_lease_renew_failures_total", "Renewals of the leader lease that failed (errors, or the lease found taken).");
}
