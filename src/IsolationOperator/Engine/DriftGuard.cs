using System.Collections.Concurrent;

namespace IsolationOperator.Engine;

/// <summary>
/// Bounds a fight with another writer: after a few corrections of one object in a short time, the operator stops
/// rewriting it for a while (doubling each time it starts again), instead of writing and warning on every round.
/// </summary>
public sealed class DriftGuard(TimeProvider time, int tolerated = 3, TimeSpan? window = null, TimeSpan? firstBackoff = null, TimeSpan? maxBackoff = null)
{
    private readonly TimeSpan _window = window ?? TimeSpan.FromMinutes(5);
    private readonly TimeSpan _first = firstBackoff ?? TimeSpan.FromSeconds(30);
    private readonly TimeSpan _max = maxBackoff ?? TimeSpan.FromMinutes(10);
    private readonly ConcurrentDictionary<string, State> _objects = new();

    private sealed class State
    {
        public readonly List<DateTimeOffset> Corrections = [];
        public DateTimeOffset HeldUntil;
        public int Rounds;
        public IReadOnlyList<string> Competitors = [];
    }

    /// <summary>While the operator is backing off: when writes to this object resume, and who it is fighting.</summary>
    public (DateTimeOffset Until, IReadOnlyList<string> Competitors)? HeldUntil(string key)
    {
        if (!_objects.TryGetValue(key, out var s)) return null;
        lock (s) return s.HeldUntil > time.GetUtcNow() ? (s.HeldUntil, s.Competitors) : null;
    }

    /// <summary>Records one correction of drift; returns when the operator will next write it if it now backs off.</summary>
    public DateTimeOffset? Corrected(string key, IReadOnlyList<string> competitors)
    {
        var now = time.GetUtcNow();
        var s = _objects.GetOrAdd(key, _ => new State());
        lock (s)
        {
            s.Corrections.RemoveAll(t => now - t > _window);
            if (s.Corrections.Count == 0 && now - s.HeldUntil > _window) s.Rounds = 0; // a quiet window ends the fight
            s.Corrections.Add(now);
            if (competitors.Count > 0) s.Competitors = competitors;
            // A few corrections are tolerated only at the start of a fight: once it has backed off, drift right after the
            // hold means the other writer is still there, so the next hold starts at once (and is twice as long).
            if (s.Rounds == 0 && s.Corrections.Count <= tolerated) return null;
            var backoff = TimeSpan.FromTicks(Math.Min(_max.Ticks, _first.Ticks * (1L << Math.Min(s.Rounds, 20))));
            s.Rounds++;
            s.HeldUntil = now + backoff;
            s.Corrections.Clear();
            return s.HeldUntil;
        }
    }
}
