using System.Collections.Concurrent;
using System.Diagnostics;
using IsolationOperator.Engine;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;

namespace IsolationOperator.Bench;

/// <summary>
/// Watches one kind (the operator's own list+watch informer, so polling never loads the API server) and records when
/// each object first turns ready, on a clock that runs only while a measurement is in progress.
/// </summary>
public sealed class ReadyTracker<T> : IAsyncDisposable where T : class, IKubernetesObject<V1ObjectMeta>
{
    private readonly Informer<T> _informer;
    private readonly Func<T, bool> _isReady;
    private readonly Func<T, string> _key;
    private readonly ConcurrentDictionary<string, bool> _ready = new();
    private readonly ConcurrentDictionary<string, TaskCompletionSource<long>> _waiters = new();
    private readonly List<(double Seconds, int Count)> _series = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _run;

    public ReadyTracker(IKubernetes client, OwnedKind<T> kind, string selector, Func<T, bool> isReady, Func<T, string> key)
    {
        _informer = new Informer<T>(client, kind, new InformerOptions { LabelSelector = selector }, NullLogger.Instance);
        _isReady = isReady;
        _key = key;
        _informer.Changed += (_, now) => { if (now is not null && _isReady(now)) MarkReady(_key(now)); };
        _run = Task.Run(() => _informer.RunAsync(_stop.Token));
    }

    /// <summary>Runs only while creating and waiting (stopped while the bench samples memory between segments).</summary>
    public Stopwatch Clock { get; } = new();
    public int ReadyCount => _ready.Count;
    public Task Synced => _informer.Synced;

    public IReadOnlyList<(double Seconds, int Count)> Series { get { lock (_series) return [.. _series]; } }

    /// <summary>Completes with the Stopwatch timestamp at which <paramref name="key"/> was first seen ready.</summary>
    public Task<long> WhenReady(string key)
    {
        var tcs = _waiters.GetOrAdd(key, _ => new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously));
        if (_ready.ContainsKey(key)) tcs.TrySetResult(Stopwatch.GetTimestamp());
        return tcs.Task;
    }

    public async Task WaitForCountAsync(int count, TimeSpan timeout)
    {
        var deadline = Stopwatch.StartNew();
        while (ReadyCount < count)
        {
            if (deadline.Elapsed > timeout) throw new TimeoutException($"{ReadyCount} of {count} ready after {timeout.TotalSeconds:0} s");
            await Task.Delay(100);
        }
    }

    private void MarkReady(string key)
    {
        var at = Stopwatch.GetTimestamp();
        if (!_ready.TryAdd(key, true)) return;
        lock (_series) _series.Add((Clock.Elapsed.TotalSeconds, _ready.Count));
        if (_waiters.TryGetValue(key, out var tcs)) tcs.TrySetResult(at);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _run.ContinueWith(_ => { }, TaskScheduler.Default);
        _stop.Dispose();
    }
}
