using System.Collections.Concurrent;
using k8s;
using k8s.Models;

namespace IsolationOperator.Engine;

/// <summary>
/// The cache of one kind, monotonic per object: it never goes back to an older resourceVersion, and a deleted object
/// leaves a short-lived tombstone so that a late write-through (a reconcile that wrote the object just before someone
/// deleted it) cannot resurrect it. Indexed by namespace so a reconcile never scans the whole cache. Thread-safe.
/// </summary>
public sealed class ObjectStore<T> where T : class, IKubernetesObject<V1ObjectMeta>
{
    private readonly object _gate = new();
    private readonly Dictionary<string, T> _items = new();
    private readonly Dictionary<string, Dictionary<string, T>> _byNamespace = new();
    private readonly Dictionary<string, (long ResourceVersion, DateTimeOffset Until)> _tombstones = new();
    private readonly TimeProvider _time;
    private readonly TimeSpan _tombstoneLife;

    public ObjectStore(TimeProvider? time = null, TimeSpan? tombstoneLife = null)
    {
        _time = time ?? TimeProvider.System;
        _tombstoneLife = tombstoneLife ?? TimeSpan.FromMinutes(2);
    }

    public int Count { get { lock (_gate) return _items.Count; } }

    public IReadOnlyList<T> Items { get { lock (_gate) return [.. _items.Values]; } }

    public T? Get(string? ns, string name) { lock (_gate) return _items.GetValueOrDefault(Key(ns, name)); }

    /// <summary>The objects of one namespace (cluster-scoped objects: the empty namespace).</summary>
    public IReadOnlyList<T> InNamespace(string? ns)
    {
        lock (_gate) return _byNamespace.TryGetValue(ns ?? "", out var m) ? [.. m.Values] : [];
    }

    /// <summary>Stores <paramref name="obj"/> unless what is held (or a tombstone) is as new or newer.</summary>
    /// <returns>The replaced object and whether anything changed.</returns>
    public (bool Changed, T? Old) Put(T obj)
    {
        var key = Key(obj.Metadata.NamespaceProperty, obj.Metadata.Name);
        var rv = Rv(obj);
        lock (_gate)
        {
            if (_tombstones.TryGetValue(key, out var dead))
            {
                if (dead.Until > _time.GetUtcNow() && rv is { } r && r <= dead.ResourceVersion) return (false, null);
                _tombstones.Remove(key);
            }
            var old = _items.GetValueOrDefault(key);
            if (old is not null && Rv(old) is { } have && rv is { } want && want <= have) return (false, old);
            Set(key, obj);
            return (true, old);
        }
    }

    /// <summary>Removes the object and remembers, for a while, that versions up to <paramref name="resourceVersion"/> are gone.</summary>
    public T? Delete(string? ns, string name, string? resourceVersion)
    {
        var key = Key(ns, name);
        lock (_gate)
        {
            var old = _items.GetValueOrDefault(key);
            var rv = Math.Max(long.TryParse(resourceVersion, out var d) ? d : 0, old is null ? 0 : Rv(old) ?? 0);
            _tombstones[key] = (rv, _time.GetUtcNow() + _tombstoneLife);
            if (old is not null) Unset(key, old);
            PurgeTombstones();
            return old;
        }
    }

    /// <summary>A full list is the truth: returns what it no longer contains (deleted while we were not watching).</summary>
    public IReadOnlyList<T> Replace(IEnumerable<T> listed)
    {
        lock (_gate)
        {
            var seen = new HashSet<string>();
            foreach (var o in listed)
            {
                var key = Key(o.Metadata.NamespaceProperty, o.Metadata.Name);
                seen.Add(key);
                _tombstones.Remove(key);
                // A write-through newer than the list (made while it was being served) stays.
                if (_items.GetValueOrDefault(key) is { } old && Rv(old) is { } have && Rv(o) is { } listedRv && have > listedRv) continue;
                Set(key, o);
            }
            var gone = _items.Where(kv => !seen.Contains(kv.Key)).ToList();
            foreach (var (key, old) in gone) Unset(key, old);
            PurgeTombstones();
            return gone.Select(kv => kv.Value).ToList();
        }
    }

    private void Set(string key, T obj)
    {
        if (_items.GetValueOrDefault(key) is { } old) Unset(key, old);
        _items[key] = obj;
        var ns = obj.Metadata.NamespaceProperty ?? "";
        if (!_byNamespace.TryGetValue(ns, out var m)) _byNamespace[ns] = m = new Dictionary<string, T>();
        m[key] = obj;
    }

    private void Unset(string key, T old)
    {
        _items.Remove(key);
        var ns = old.Metadata.NamespaceProperty ?? "";
        if (_byNamespace.TryGetValue(ns, out var m) && m.Remove(key) && m.Count == 0) _byNamespace.Remove(ns);
    }

    private void PurgeTombstones()
    {
        var now = _time.GetUtcNow();
        foreach (var key in _tombstones.Where(t => t.Value.Until <= now).Select(t => t.Key).ToList()) _tombstones.Remove(key);
    }

    private static long? Rv(T o) => long.TryParse(o.Metadata.ResourceVersion, out var v) ? v : null;

    public static string Key(string? ns, string name) => string.IsNullOrEmpty(ns) ? name : $"{ns}/{name}";
}
