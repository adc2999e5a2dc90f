using System.Collections.Concurrent;
using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace IsolationOperator.Engine;

/// <summary>
/// A list-then-watch cache of one kind (KubernetesClient has none). It resumes from the last resourceVersion when a
/// watch ends (the server closes streams silently), relists after 410 Gone, and backs off on errors. Reconciles read
/// from here, so a quiet cluster costs watches only: no lists, no gets.
/// </summary>
public sealed class Informer<T> : IInformer where T : class, IKubernetesObject<V1ObjectMeta>
{
    private readonly ConcurrentDictionary<string, T> _items = new();
    private readonly TaskCompletionSource _synced = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly IKubernetes _client;
    private readonly OwnedKind<T> _kind;
    private readonly string? _labelSelector;
    private readonly ILogger _log;

    public Informer(IKubernetes client, OwnedKind<T> kind, string? labelSelector, ILogger log)
    {
        _client = client;
        _kind = kind;
        _labelSelector = labelSelector;
        _log = log;
    }

    /// <summary>Called with (old, new) for every change; old is null when added, new is null when deleted.</summary>
    public event Action<T?, T?>? Changed;

    public string Kind => _kind.Kind;
    public Task Synced => _synced.Task;
    public ICollection<T> Items => _items.Values;
    public int Count => _items.Count;

    public T? Get(string? ns, string name) => _items.TryGetValue(Key(ns, name), out var v) ? v : null;

    /// <summary>Records what a write returned, so the next reconcile sees it before the watch event arrives.</summary>
    public void Upsert(T obj)
    {
        var key = Key(obj.Metadata.NamespaceProperty, obj.Metadata.Name);
        _items.AddOrUpdate(key, obj, (_, old) => IsNewer(obj, old) ? obj : old);
    }

    public void Remove(string? ns, string name) => _items.TryRemove(Key(ns, name), out _);

    public async Task RunAsync(CancellationToken ct)
    {
        string? resourceVersion = null;
        var failures = 0;
        while (!ct.IsCancellationRequested)
        {
            try
            {
                if (resourceVersion is null)
                {
                    resourceVersion = await RelistAsync(ct);
                    _synced.TrySetResult();
                }
                Exception? watchError = null;
                // Jittered timeout: a dead connection cannot hang forever, and watches don't all restart at once.
                var timeout = 240 + Random.Shared.Next(0, 60);
                await foreach (var (type, obj) in _kind.Watch(_client, _labelSelector, resourceVersion, timeout, e => watchError ??= e, ct))
                {
                    failures = 0;
                    if (obj?.Metadata?.ResourceVersion is { } rv) resourceVersion = rv;
                    switch (type)
                    {
                        case WatchEventType.Added or WatchEventType.Modified: Apply(obj!); break;
                        case WatchEventType.Deleted: Delete(obj!); break;
                    }
                }
                if (watchError is not null) throw watchError;
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (IsGone(e))
            {
                _log.LogInformation("{Kind} watch expired (410 Gone); relisting", _kind.Kind);
                resourceVersion = null;
            }
            catch (Exception e)
            {
                failures++;
                var delay = TimeSpan.FromSeconds(Math.Pow(2, Math.Min(failures, 5))) + TimeSpan.FromMilliseconds(Random.Shared.Next(0, 1000));
                _log.LogWarning("{Kind} watch failed ({Error}); retrying in {Delay:0.0}s", _kind.Kind, e.Message, delay.TotalSeconds);
                OperatorMetrics.WatchErrors.WithLabels(_kind.Kind).Inc();
                try { await Task.Delay(delay, ct); } catch (OperationCanceledException) { return; }
            }
        }
    }

    private async Task<string> RelistAsync(CancellationToken ct)
    {
        var (items, rv) = await _kind.List(_client, _labelSelector, ct);
        OperatorMetrics.Lists.WithLabels(_kind.Kind).Inc();
        var seen = new HashSet<string>();
        foreach (var item in items)
        {
            // Lists carry no apiVersion/kind on their items; fill them so cached objects compare like watched ones.
            item.ApiVersion ??= _kind.ApiVersion;
            item.Kind ??= _kind.Kind;
            seen.Add(Key(item.Metadata.NamespaceProperty, item.Metadata.Name));
            Apply(item);
        }
        foreach (var key in _items.Keys.Where(k => !seen.Contains(k)).ToList())
            if (_items.TryRemove(key, out var gone)) Changed?.Invoke(gone, null);
        return rv;
    }

    private void Apply(T obj)
    {
        obj.ApiVersion ??= _kind.ApiVersion;
        obj.Kind ??= _kind.Kind;
        var key = Key(obj.Metadata.NamespaceProperty, obj.Metadata.Name);
        _items.TryGetValue(key, out var old);
        if (old?.Metadata.ResourceVersion == obj.Metadata.ResourceVersion && old is not null) return;
        _items[key] = obj;
        Changed?.Invoke(old, obj);
    }

    private void Delete(T obj)
    {
        if (_items.TryRemove(Key(obj.Metadata.NamespaceProperty, obj.Metadata.Name), out var old))
            Changed?.Invoke(old, null);
    }

    private static bool IsNewer(T candidate, T current) =>
        long.TryParse(candidate.Metadata.ResourceVersion, out var a) && long.TryParse(current.Metadata.ResourceVersion, out var b) ? a >= b : true;

    private static bool IsGone(Exception e) => e switch
    {
        KubernetesException k => k.Status?.Code == (int)HttpStatusCode.Gone,
        HttpOperationException h => h.Response?.StatusCode == HttpStatusCode.Gone,
        _ => false,
    };

    private static string Key(string? ns, string name) => string.IsNullOrEmpty(ns) ? name : $"{ns}/{name}";
}

public interface IInformer
{
    string Kind { get; }
    Task Synced { get; }
    int Count { get; }
    Task RunAsync(CancellationToken ct);
}
