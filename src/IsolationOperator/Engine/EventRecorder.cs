using System.Globalization;
using System.Text.Json;
using System.Threading.Channels;
using IsolationOperator.Api.V1Alpha1;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace IsolationOperator.Engine;

/// <summary>
/// Audit trail on the DemoTenant as events.k8s.io/v1 Events. A DemoTenant is cluster-scoped, and the API server
/// accepts new-style events about cluster-scoped objects only in kube-system (1.20; later versions also take
/// "default"), so they live there. Notes name objects and fields, never values.
/// Recording only queues: one writer (<see cref="RunAsync"/>) sends them in order, so a reconcile never waits for
/// its events (client-go's broadcaster does the same). The queue is bounded; a full queue drops and counts.
/// </summary>
public sealed class EventRecorder
{
    public const string Normal = "Normal";
    public const string Warning = "Warning";
    public const string EventNamespace = "kube-system";
    public const int QueueCapacity = 1000;

    private readonly IKubernetes _client;
    private readonly string _instance;
    private readonly ILogger _log;
    private readonly EventSeries _series = new(TimeSpan.FromMinutes(10));
    private readonly Channel<Eventsv1Event> _queue = Channel.CreateBounded<Eventsv1Event>(
        new BoundedChannelOptions(QueueCapacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });

    public EventRecorder(IKubernetes client, string instance, ILogger<EventRecorder> log)
    {
        _client = client;
        _instance = instance;
        _log = log;
    }

    /// <summary>Queues the event; it is written by <see cref="RunAsync"/> shortly after.</summary>
    public void Record(DemoTenant tenant, string type, string reason, string action, string note)
    {
        var now = DateTime.UtcNow;
        var ev = new Eventsv1Event
        {
            ApiVersion = "events.k8s.io/v1",
            Kind = "Event",
            Metadata = new V1ObjectMeta { Name = $"{tenant.Metadata.Name}.{now.Ticks:x}", NamespaceProperty = EventNamespace },
            EventTime = now,
            ReportingController = OperatorIdentity.ControllerName,
            ReportingInstance = _instance,
            Action = action,
            Reason = reason,
            Type = type,
            Note = note.Length > 1000 ? note[..997] + "..." : note,
            Regarding = new V1ObjectReference
            {
                ApiVersion = tenant.ApiVersion,
                Kind = tenant.Kind,
                Name = tenant.Metadata.Name,
                Uid = tenant.Metadata.Uid,
                ResourceVersion = tenant.Metadata.ResourceVersion,
            },
        };
        _log.LogInformation("event {Type} {Reason} on DemoTenant {Tenant}: {Note}", type, reason, tenant.Metadata.Name, ev.Note);
        if (_queue.Writer.TryWrite(ev)) return;
        OperatorMetrics.EventsDropped.Inc();
        _log.LogWarning("event {Reason} for {Tenant} dropped: {Capacity} events are waiting to be written, or the operator is stopping", reason, tenant.Metadata.Name, QueueCapacity);
    }

    /// <summary>
    /// Writes queued events in order. After <paramref name="stop"/> nothing new is queued and what is already queued
    /// is still written, for at most <paramref name="drain"/>: a clean shutdown keeps the last pass's events.
    /// </summary>
    public async Task RunAsync(TimeSpan drain, CancellationToken stop)
    {
        using var deadline = new CancellationTokenSource();
        await using (stop.Register(() =>
                     {
                         _queue.Writer.TryComplete();
                         deadline.CancelAfter(drain);
                     }))
        {
            try
            {
                await foreach (var ev in _queue.Reader.ReadAllAsync(deadline.Token)) await WriteAsync(ev, deadline.Token);
            }
            catch (OperationCanceledException) when (deadline.IsCancellationRequested) { }
        }
    }

    /// <summary>Events waiting to be written.</summary>
    public int Pending => _queue.Reader.Count;

    private async Task WriteAsync(Eventsv1Event ev, CancellationToken ct)
    {
        var tenant = ev.Regarding.Name;
        var now = ev.EventTime ?? DateTime.UtcNow;
        try
        {
            // The same event again within the window: one Event object whose series counts, as client-go's correlator does.
            var series = _series.Seen((tenant, ev.Reason, ev.Note), ev.Metadata.Name, now);
            if (series is { Count: > 1 } repeat)
            {
                var patch = JsonSerializer.Serialize(new { series = new { count = repeat.Count, lastObservedTime = now.ToString("yyyy-MM-ddTHH:mm:ss.ffffffZ", CultureInfo.InvariantCulture) } });
                await _client.EventsV1.PatchNamespacedEventAsync(new V1Patch(patch, V1Patch.PatchType.MergePatch), repeat.Name, EventNamespace, cancellationToken: ct);
                OperatorMetrics.Writes.WithLabels("Event", "patch").Inc();
                return;
            }
            await _client.EventsV1.CreateNamespacedEventAsync(ev, EventNamespace, cancellationToken: ct);
            OperatorMetrics.Writes.WithLabels("Event", "create").Inc();
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Events are best effort: a lost event must not fail or repeat the reconcile that caused it.
            _log.LogWarning("could not record event {Reason} for {Tenant}: {Error}", ev.Reason, tenant, e.Message);
        }
    }
}
