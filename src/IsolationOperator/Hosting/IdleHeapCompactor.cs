using System.Runtime;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace IsolationOperator.Hosting;

/// <summary>
/// Gives memory back once a burst of work is over. The start-up lists, a thousand demos provisioned or a resync
/// leave the GC heap at its high-water mark, and an idle operator allocates too little to trigger the collection that
/// would shrink it (measured at 1000 tenants: 330-376 MiB RSS a minute after a restart, 194 MiB after one compaction).
/// So when the process has allocated much since the last compaction and little in the last period, one blocking,
/// compacting, aggressive collection returns the free memory to the system. It runs once per burst, not during work.
/// </summary>
public sealed class IdleHeapCompactor(ILogger<IdleHeapCompactor> log, TimeProvider time) : BackgroundService
{
    public static readonly TimeSpan Period = TimeSpan.FromSeconds(10);

    protected override async Task ExecuteAsync(CancellationToken ct)
    {
        var policy = new IdleCompaction();
        using var timer = new PeriodicTimer(Period, time);
        try
        {
            while (await timer.WaitForNextTickAsync(ct))
            {
                if (!policy.ShouldCompact(GC.GetTotalAllocatedBytes())) continue;
                var before = Environment.WorkingSet;
                GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
                GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
                policy.Compacted(GC.GetTotalAllocatedBytes());
                Engine.OperatorMetrics.HeapCompactions.Inc();
                log.LogDebug("idle after a burst of work: heap compacted, working set {Before} -> {After} MiB",
                    before / (1 << 20), Environment.WorkingSet / (1 << 20));
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested) { }
    }
}

/// <summary>When to compact, from the process's allocation counter sampled once per period (pure, for unit tests).</summary>
public sealed class IdleCompaction(long burstBytes = 64L << 20, long idleBytes = 4L << 20)
{
    private long _lastSample = -1;
    private long _atCompaction;

    /// <summary>True when at least <c>burstBytes</c> were allocated since the last compaction and under <c>idleBytes</c> since the last sample.</summary>
    public bool ShouldCompact(long allocatedTotal)
    {
        var sinceSample = _lastSample < 0 ? long.MaxValue : allocatedTotal - _lastSample;
        _lastSample = allocatedTotal;
        return sinceSample < idleBytes && allocatedTotal - _atCompaction >= burstBytes;
    }

    public void Compacted(long allocatedTotal)
    {
        _atCompaction = allocatedTotal;
        _lastSample = allocatedTotal;
    }
}
