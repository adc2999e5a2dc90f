namespace IsolationOperator.Bench;

/// <summary>Everything one run measured: written as JSON (this shape) and as a markdown table.</summary>
public sealed record BenchResult
{
    public int Schema { get; init; } = 1;
    public required DateTimeOffset StartedAt { get; init; }
    public required MachineInfo Machine { get; init; }
    public required RunSettings Settings { get; init; }
    public required Throughput Operator { get; init; }
    public required Throughput Floor { get; init; }
    /// <summary>Operator's create→all-Ready time over the floor's: 1.0 would be "as fast as writing the objects directly".</summary>
    public required double Ratio { get; init; }
    public required Latency Latency { get; init; }
    public required IdleCost Idle { get; init; }
    public required ResyncCost Resync { get; init; }
    public required RestartCost Restart { get; init; }
    public required IReadOnlyList<MemorySample> Memory { get; init; }
    public required ProvisioningWork Provisioning { get; init; }
}

/// <summary>
/// Where the operator's create→Ready time goes: reconciles and API requests per tenant while provisioning N (from
/// /metrics and the audit log), against the floor's one request per object.
/// </summary>
public sealed record ProvisioningWork(double ReconcilesPerTenant, double? RequestsPerTenant,
    IReadOnlyDictionary<string, int>? RequestsByVerb, int FloorRequestsPerTenant);

public sealed record MachineInfo(int Processors, double MemoryGiB, string Dotnet, string Kubernetes, string Cluster, string Note);

public sealed record RunSettings(int Tenants, int Workers, bool Smoke, int LatencySamples, double IdleSeconds, double ResyncSeconds,
    int CreateParallelism, string OperatorBuild, IReadOnlyDictionary<string, string> OperatorEnv);

/// <summary>Create (or write) → Ready for all tenants; Series is [seconds, ready count] on the measuring clock.</summary>
public sealed record Throughput(int Tenants, double Seconds, double TenantsPerSecond, IReadOnlyList<double[]> Series);

public sealed record Latency(int Samples, double P50Ms, double P99Ms, double MaxMs, int TenantsPresent);

/// <summary>Operator requests from the audit log (null without one) and CPU over a window where nothing changed.</summary>
public sealed record IdleCost(double Seconds, int? Writes, int? Lists, int? Gets, int? Watches, double CpuPercentOfCore);

/// <summary>One full resync of a settled operator: every tenant reconciled once, nothing to change.</summary>
public sealed record ResyncCost(double Reconciles, double Seconds, double CpuMs, double CpuMsPerReconcile,
    double NetCpuMsPerReconcile, int? Requests, IReadOnlyDictionary<string, int>? RequestsByVerb);

/// <summary>A fresh operator process on a full cluster: time to reconcile everything, its requests, its memory.</summary>
public sealed record RestartCost(double SecondsToSettled, double CpuMs, int? Writes, int? Lists, int? Gets, double RssMiB, double AfterWorkMiB);

/// <param name="RssMiB">Settled: after the operator has been idle for 30 s (it gives a burst's memory back when idle).</param>
/// <param name="AfterWorkMiB">5 s after the last tenant became Ready: the high-water mark of the work.</param>
public sealed record MemorySample(int Tenants, double RssMiB, double AfterWorkMiB);
