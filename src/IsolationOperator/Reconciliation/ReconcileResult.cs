namespace IsolationOperator.Reconciliation;

/// <summary>What the engine does next with a key: nothing, or look again after a known deadline.</summary>
public sealed record ReconcileResult(TimeSpan? RequeueAfter)
{
    public static readonly ReconcileResult Done = new((TimeSpan?)null);
    public static ReconcileResult After(TimeSpan delay) => new(delay < TimeSpan.Zero ? TimeSpan.Zero : delay);

    /// <summary>Wake at the earliest future deadline; a past one is ignored (it was handled by this very pass).</summary>
    public static ReconcileResult Earliest(DateTimeOffset now, IEnumerable<DateTimeOffset?> deadlines)
    {
        var next = deadlines.Where(d => d is not null && d.Value > now).Select(d => d!.Value).DefaultIfEmpty(DateTimeOffset.MaxValue).Min();
        return next == DateTimeOffset.MaxValue ? Done : After(next - now + TimeSpan.FromMilliseconds(50));
    }

    /// <summary>The sooner of two results (Done counts as never).</summary>
    public ReconcileResult Or(ReconcileResult other) =>
        RequeueAfter is null ? other : other.RequeueAfter is null || RequeueAfter <= other.RequeueAfter ? this : other;
}
