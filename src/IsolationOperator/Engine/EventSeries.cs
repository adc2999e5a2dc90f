namespace IsolationOperator.Engine;

/// <summary>
/// Remembers recent events by (tenant, reason, note): a repeat within the window becomes a count on the first
/// event instead of a new object, so a fight or a flapping condition cannot flood the namespace with events.
/// </summary>
public sealed class EventSeries(TimeSpan window)
{
    private readonly object _gate = new();
    private readonly Dictionary<(string, string, string), (string Name, int Count, DateTime First)> _recent = new();

    /// <returns>The event to count on (its name and the new count); count 1 means "create <paramref name="name"/>".</returns>
    public (string Name, int Count) Seen((string Tenant, string Reason, string Note) key, string name, DateTime now)
    {
        lock (_gate)
        {
            if (_recent.Count > 10_000) foreach (var k in _recent.Where(kv => now - kv.Value.First > window).Select(kv => kv.Key).ToList()) _recent.Remove(k);
            if (_recent.TryGetValue(key, out var e) && now - e.First <= window)
            {
                _recent[key] = e with { Count = e.Count + 1 };
                return (e.Name, e.Count + 1);
            }
            _recent[key] = (name, 1, now);
            return (name, 1);
        }
    }
}
