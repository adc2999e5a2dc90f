namespace IsolationOperator.Engine;

/// <summary>
/// controller-runtime's queue semantics: a key waiting is queued once however often it is added; a key being
/// processed is never handed to a second worker, and is queued again when finished if it was added meanwhile;
/// failures back off exponentially per key; AddAfter wakes a key at a deadline (the earliest wins).
/// </summary>
public sealed class WorkQueue : IDisposable
{
    private readonly object _gate = new();
    private readonly Queue<string> _queue = new();
    private readonly HashSet<string> _dirty = new();
    private readonly HashSet<string> _processing = new();
    private readonly Dictionary<string, int> _failures = new();
    private readonly Dictionary<string, (DateTimeOffset Due, ITimer Timer)> _delayed = new();
    private readonly SemaphoreSlim _available = new(0);
    private readonly TimeProvider _time;
    private readonly TimeSpan _baseDelay;
    private readonly TimeSpan _maxDelay;
    private bool _disposed;

    public WorkQueue(TimeProvider time, TimeSpan? baseDelay = null, TimeSpan? maxDelay = null)
    {
        _time = time;
        _baseDelay = baseDelay ?? TimeSpan.FromMilliseconds(50);
        _maxDelay = maxDelay ?? TimeSpan.FromMinutes(5);
    }

    public int Depth { get { lock (_gate) return _queue.Count; } }

    public void Add(string key)
    {
        lock (_gate)
        {
            if (_disposed || !_dirty.Add(key)) return;
            if (_processing.Contains(key)) return; // re-queued by Done
            _queue.Enqueue(key);
        }
        _available.Release();
        OperatorMetrics.QueueDepth.Set(Depth);
    }

    /// <summary>Longest single wait; a key due later is woken then and its reconcile computes the rest (timers cap at ~49 days).</summary>
    public static readonly TimeSpan MaxWait = TimeSpan.FromHours(24);

    public void AddAfter(string key, TimeSpan delay)
    {
        if (delay <= TimeSpan.Zero) { Add(key); return; }
        if (delay > MaxWait) delay = MaxWait;
        var due = _time.GetUtcNow() + delay;
        lock (_gate)
        {
            if (_disposed) return;
            if (_delayed.TryGetValue(key, out var existing))
            {
                if (existing.Due <= due) return;
                existing.Timer.Dispose();
            }
            var timer = _time.CreateTimer(_ => Fire(key, due), null, delay, Timeout.InfiniteTimeSpan);
            _delayed[key] = (due, timer);
        }
    }

    /// <summary>Re-queue after a failure, waiting longer each consecutive time.</summary>
    public TimeSpan AddRateLimited(string key)
    {
        TimeSpan delay;
        lock (_gate)
        {
            var n = _failures.TryGetValue(key, out var f) ? f : 0;
            _failures[key] = n + 1;
            var ms = _baseDelay.TotalMilliseconds * Math.Pow(2, Math.Min(n, 30));
            delay = TimeSpan.FromMilliseconds(Math.Min(ms, _maxDelay.TotalMilliseconds));
        }
        AddAfter(key, delay);
        return delay;
    }

    public void Forget(string key)
    {
        lock (_gate) _failures.Remove(key);
    }

    public async Task<string?> TakeAsync(CancellationToken ct)
    {
        while (true)
        {
            try { await _available.WaitAsync(ct); }
            catch (OperationCanceledException) { return null; }
            lock (_gate)
            {
                if (_queue.Count == 0) continue;
                var key = _queue.Dequeue();
                _dirty.Remove(key);
                _processing.Add(key);
                OperatorMetrics.QueueDepth.Set(_queue.Count);
                return key;
            }
        }
    }

    public void Done(string key)
    {
        var requeue = false;
        lock (_gate)
        {
            _processing.Remove(key);
            if (_dirty.Contains(key) && !_disposed)
            {
                _queue.Enqueue(key);
                requeue = true;
            }
        }
        if (requeue) _available.Release();
    }

    private void Fire(string key, DateTimeOffset due)
    {
        lock (_gate)
        {
            if (!_delayed.TryGetValue(key, out var entry) || entry.Due != due) return;
            _delayed.Remove(key);
            entry.Timer.Dispose();
        }
        Add(key);
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
            foreach (var (_, t) in _delayed.Values) t.Dispose();
            _delayed.Clear();
        }
    }
}
