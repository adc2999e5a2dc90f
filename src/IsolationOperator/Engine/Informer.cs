using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace IsolationOperator.Engine;

/// <summary>How an informer selects, keeps and watches its objects.</summary>
public sealed record InformerOptions
{
    public string? LabelSelector { get; init; }
    /// <summary>Objects to keep (e.g. only those in managed namespaces); the rest are not cached at all.</summary>
    public Func<V1ObjectMeta, bool>? Keep { get; init; }
    /// <summary>Strips what the operator never reads (managedFields, secret values) before caching.</summary>
    public Action<object>? Trim { get; init; }
    /// <summary>Server-side watch timeout; the client gives up on a watch silent for this plus a grace period.</summary>
    public TimeSpan WatchTimeout { get; init; } = TimeSpan.FromMinutes(4);
    public int PageSize { get; init; } = 500;
}

/// <summary>
/// A list-then-watch cache of one kind (KubernetesClient has none). It resumes from the last resourceVersion when a
/// watch ends, relists after 410 Gone or after an event it could not decode, gives up on a watch that stays silent
/// past its own deadline (a dead connection sends no error), and backs off when watches or lists fail or end at
/// once. Reconciles read from here, so a quiet cluster costs watches only: no lists, no gets.
/// </summary>
public sealed class Informer<T> : IInformer where T : class, IKubernetesObject<V1ObjectMeta>
{
    private static readonly TimeSpan Grace = TimeSpan.FromSeconds(30);
    private readonly ObjectStore<T> _store = new();
    private readonly TaskCompletionSource _synced = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly IKubernetes _client;
    private readonly OwnedKind<T> _kind;
    private readonly InformerOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _log;
    private long _lastActivityTicks;

    public Informer(IKubernetes client, OwnedKind<T> kind, InformerOptions options, ILogger log, TimeProvider? time = null)
    {
        _client = client;
        _kind = kind;
        _options = options;
        _log = log;
        _time = time ?? TimeProvider.System;
        Touch();
    }

    /// <summary>Called with (old, new) for every change; old is null when added, new is null when deleted.</summary>
    public event Action<T?, T?>? Changed;

    /// <summary>Called with the name of an object that could not be decoded (it is skipped, and reported).</summary>
    public event Action<string>? Undecodable;

    public string Kind => _kind.Kind;
    public Task Synced => _synced.Task;
    public IReadOnlyList<T> Items => _store.Items;
    public int Count => _store.Count;
    public TimeSpan WatchTimeout => _options.WatchTimeout;

    /// <summary>Time since the last sign of life: an event, a bookmark, a watch the server ended normally, a list.</summary>
    public TimeSpan SinceLastActivity => _time.GetUtcNow() - new DateTimeOffset(Interlocked.Read(ref _lastActivityTicks), TimeSpan.Zero);

    public T? Get(string? ns, string name) => _store.Get(ns, name);

    public IReadOnlyList<T> InNamespace(string? ns) => _store.InNamespace(ns);

    /// <summary>Records what a write returned, so the next reconcile sees it before the watch event arrives.</summary>
    public void Upsert(T obj)
    {
        Normalise(obj);
        if (!Admit(obj)) return;
        _store.Put(obj);
    }

    /// <summary>Forgets an object the operator just deleted (a tombstone keeps a late write-through from bringing it back).</summary>
    public void Remove(string? ns, string name) => _store.Delete(ns, name, null);

    public async Task RunAsync(CancellationToken ct)
    {
        string? resourceVersion = null;
        var failures = 0;
        var quickEnds = 0;
        var gones = 0;
        while (!ct.IsCancellationRequested)
        {
            try
            {
                if (resourceVersion is null)
                {
                    resourceVersion = await RelistAsync(ct);
                    _synced.TrySetResult();
                }
                var (rv, events, needsRelist) = await WatchOnceAsync(resourceVersion, ct);
                resourceVersion = needsRelist ? null : rv;
                failures = 0;
                if (events > 0) gones = 0;
                // A watch that ends at once with nothing in it (a proxy with a short idle timeout) must not spin.
                quickEnds = events == 0 && !needsRelist ? quickEnds + 1 : 0;
                if (quickEnds > 1) await DelayAsync(Backoff(quickEnds - 1), ct);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (IsGone(e))
            {
                _log.LogInformation("{Kind} watch expired (410 Gone); relisting", _kind.Kind);
                OperatorMetrics.Relists.WithLabels(_kind.Kind, "gone").Inc();
                resourceVersion = null;
                // 410 again right after a relist (a proxy or a broken watch cache): relist with backoff, not in a loop.
                if (++gones > 1) await DelayAsync(Backoff(gones - 1), ct);
            }
            catch (Exception e)
            {
                failures++;
                var delay = Backoff(failures);
                _log.LogWarning("{Kind} watch failed ({Error}); retrying in {Delay:0.0}s", _kind.Kind, e.Message, delay.TotalSeconds);
                OperatorMetrics.WatchErrors.WithLabels(_kind.Kind).Inc();
                await DelayAsync(delay, ct);
            }
        }
    }

    /// <returns>The resourceVersion to resume from, how many events arrived, and whether a change may have been missed.</returns>
    private async Task<(string Rv, int Events, bool NeedsRelist)> WatchOnceAsync(string resourceVersion, CancellationToken ct)
    {
        var errors = new List<Exception>();
        var serverTimeout = _options.WatchTimeout + TimeSpan.FromSeconds(Random.Shared.NextDouble() * _options.WatchTimeout.TotalSeconds / 4);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(serverTimeout + Grace);
        var events = 0;
        var missed = false;
        try
        {
            await foreach (var (type, obj) in _kind.Watch(_client, _options.LabelSelector, resourceVersion, (int)serverTimeout.TotalSeconds,
                               e => { lock (errors) errors.Add(e); }, deadline.Token))
            {
                // Every event re-arms the client's own deadline: only silence longer than the server's timeout trips it.
                deadline.CancelAfter(serverTimeout + Grace);
                Touch();
                events++;
                if (obj is null) { missed = true; continue; } // undecodable: skipped, reported, relisted below
                if (obj.Metadata?.ResourceVersion is { } rv) resourceVersion = rv;
                switch (type)
                {
                    case WatchEventType.Added or WatchEventType.Modified: Apply(obj); break;
                    case WatchEventType.Deleted: Delete(obj); break;
                }
            }
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested && deadline.IsCancellationRequested)
        {
            _log.LogWarning("{Kind} watch silent for {Seconds:0}s (a dead connection sends nothing); reconnecting", _kind.Kind, (serverTimeout + Grace).TotalSeconds);
            OperatorMetrics.WatchErrors.WithLabels(_kind.Kind).Inc();
            return (resourceVersion, events, false);
        }
        Exception[] seen;
        lock (errors) seen = [.. errors];
        if (seen.FirstOrDefault(IsGone) is { } gone) throw gone;
        foreach (var e in seen) ReportDecodeError(e);
        if (!missed && seen.Length == 0) Touch(); // the server ended the watch normally: the path is alive
        if (missed || seen.Length > 0)
        {
            OperatorMetrics.Relists.WithLabels(_kind.Kind, "decode-error").Inc();
            return (resourceVersion, events, true);
        }
        return (resourceVersion, events, false);
    }

    private async Task<string> RelistAsync(CancellationToken ct)
    {
        var listed = new List<T>();
        string? rv = null;
        string? cont = null;
        do
        {
            var page = await _kind.List(_client, _options.LabelSelector, _options.PageSize, cont, ct);
            OperatorMetrics.Lists.WithLabels(_kind.Kind).Inc();
            foreach (var bad in page.Undecodable) ReportUndecodable(bad);
            listed.AddRange(page.Items.Where(i => { Normalise(i); return Admit(i); }));
            rv = page.ResourceVersion;
            cont = page.Continue;
        } while (!string.IsNullOrEmpty(cont));

        var before = listed.ToDictionary(i => ObjectStore<T>.Key(i.Metadata.NamespaceProperty, i.Metadata.Name), i => _store.Get(i.Metadata.NamespaceProperty, i.Metadata.Name));
        foreach (var gone in _store.Replace(listed)) Changed?.Invoke(gone, null);
        foreach (var item in listed)
        {
            var old = before[ObjectStore<T>.Key(item.Metadata.NamespaceProperty, item.Metadata.Name)];
            if (old?.Metadata.ResourceVersion != item.Metadata.ResourceVersion) Changed?.Invoke(old, item);
        }
        Touch();
        return rv!;
    }

    private void Apply(T obj)
    {
        Normalise(obj);
        if (!Admit(obj))
        {
            // Left our scope (a label removed, or its namespace is not managed): forget it like a deletion.
            if (_store.Get(obj.Metadata.NamespaceProperty, obj.Metadata.Name) is not null) Delete(obj);
            return;
        }
        var (changed, old) = _store.Put(obj);
        if (changed) Changed?.Invoke(old, obj);
    }

    private void Delete(T obj)
    {
        if (_store.Delete(obj.Metadata.NamespaceProperty, obj.Metadata.Name, obj.Metadata.ResourceVersion) is { } old)
            Changed?.Invoke(old, null);
    }

    private bool Admit(T obj)
    {
        if (_options.Keep is { } keep && !keep(obj.Metadata)) return false;
        _options.Trim?.Invoke(obj);
        return true;
    }

    private void Normalise(T obj)
    {
        // List items and write responses may carry no apiVersion/kind; fill them so every cached object compares alike.
        // The kind's own strings also when they are equal: one copy instead of one per cached object.
        if (obj.ApiVersion is null || obj.ApiVersion == _kind.ApiVersion) obj.ApiVersion = _kind.ApiVersion;
        if (obj.Kind is null || obj.Kind == _kind.Kind) obj.Kind = _kind.Kind;
    }

    private void ReportDecodeError(Exception e)
    {
        _log.LogWarning("{Kind} watch event could not be read ({Error}); it is skipped and the cache relisted", _kind.Kind, e.Message);
        OperatorMetrics.DecodeErrors.WithLabels(_kind.Kind).Inc();
    }

    private void ReportUndecodable(string name)
    {
        _log.LogWarning("{Kind} {Name} could not be read (an invalid field the API server admitted); it is skipped until it is fixed", _kind.Kind, name);
        OperatorMetrics.DecodeErrors.WithLabels(_kind.Kind).Inc();
        Undecodable?.Invoke(name);
    }

    private void Touch() => Interlocked.Exchange(ref _lastActivityTicks, _time.GetUtcNow().UtcTicks);

    private static TimeSpan Backoff(int n) =>
        TimeSpan.FromSeconds(Math.Pow(2, Math.Min(n, 5))) + TimeSpan.FromMilliseconds(Random.Shared.Next(0, 1000));

    private static async Task DelayAsync(TimeSpan delay, CancellationToken ct)
    {
        try { await Task.Delay(delay, ct); } catch (OperationCanceledException) { }
    }

    private static bool IsGone(Exception e) => e switch
    {
        KubernetesException k => k.Status?.Code == 410,
        k8s.Autorest.HttpOperationException h => h.Response?.StatusCode == System.Net.HttpStatusCode.Gone,
        _ => false,
    };
}

public interface IInformer
{
    string Kind { get; }
    Task Synced { get; }
    int Count { get; }
    TimeSpan WatchTimeout { get; }
    TimeSpan SinceLastActivity { get; }
    Task RunAsync(CancellationToken ct);
}
