using System.Globalization;
using System.Text.Json;
using IsolationOperator.Api.V1Alpha1;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace IsolationOperator.Engine;

/// <summary>
/// Audit trail on the DemoTenant as events.k8s.io/v1 Events. A DemoTenant is cluster-scoped, and the API server
/// accepts new-style events about cluster-scoped objects only in kube-system (1.20; later versions also take
/// "default"), so they live there. Notes name objects and fields, never values.
/// </summary>
public sealed class EventRecorder
{
    public const string Normal = "Normal";
    public const string Warning = "Warning";
    public const string EventNamespace = "kube-system";

    private readonly IKubernetes _client;
    private readonly string _instance;
    private readonly ILogger _log;
    private readonly EventSeries _series = new(TimeSpan.FromMinutes(10));

    public EventRecorder(IKubernetes client, string instance, ILogger<EventRecorder> log)
    {
        _client = client;
        _instance = instance;
        _log = log;
    }

    public async Task RecordAsync(DemoTenant tenant, string type, string reason, string action, string note, CancellationToken ct)
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
        try
        {
            // The same event again within the window: one Event object whose series counts, as client-go's correlator does.
            var series = _series.Seen((tenant.Metadata.Name, reason, ev.Note), ev.Metadata.Name, now);
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
            _log.LogWarning("could not record event {Reason} for {Tenant}: {Error}", reason, tenant.Metadata.Name, e.Message);
        }
    }
}
