using Prometheus;

namespace IsolationOperator.Admission;

/// <summary>Admission requests by webhook path and result, and how long each answer took.</summary>
public static class AdmissionMetrics
{
    public static readonly Counter Requests = Metrics.CreateCounter(
        "isolation_operator_admission_requests_total", "Admission requests by webhook path and result (allowed, denied, error).", "webhook", "result");

    public static readonly Histogram Duration = Metrics.CreateHistogram(
        "isolation_operator_admission_duration_seconds", "Time from reading an AdmissionReview to answering it, by webhook path.",
        new HistogramConfiguration { LabelNames = ["webhook"], Buckets = Histogram.ExponentialBuckets(0.0005, 2, 14) });

    public static readonly Counter CertificateRenewals = Metrics.CreateCounter(
        "isolation_operator_webhook_certificate_renewals_total", "Serving certificates this replica issued (first start, renewal before expiry).");
}
