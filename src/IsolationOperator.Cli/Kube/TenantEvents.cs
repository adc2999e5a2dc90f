using IsolationOperator.Api.V1Alpha1;
using IsolationOperator.Engine;
using k8s;
using k8s.Models;

namespace IsolationOperator.Cli.Kube;

/// <summary>The operator's events about one DemoTenant (events.k8s.io, in kube-system: see EventRecorder), newest last.</summary>
public static class TenantEvents
{
    public sealed record Item(DateTimeOffset? Time, string Type, string Reason, string Note, int Count);

    public static async Task<IReadOnlyList<Item>> ListAsync(IKubernetes client, DemoTenant tenant, int newest, CancellationToken ct)
    {
        var list = await client.EventsV1.ListNamespacedEventAsync(EventRecorder.EventNamespace, fieldSelector: $"regarding.name={tenant.Metadata.Name}", cancellationToken: ct);
        return list.Items
            .Where(e => e.Regarding?.Kind == DemoTenant.KindName && (e.Regarding.Uid is null || e.Regarding.Uid == tenant.Metadata.Uid))
            .Select(e => new Item(Time(e), e.Type ?? "", e.Reason ?? "", e.Note ?? "", e.Series?.Count ?? 1))
            .OrderBy(e => e.Time)
            .TakeLast(newest)
            .ToList();
    }

    /// <summary>Events in the demo's own namespace (pods, workloads), which its people may read: what a sales engineer sees
    /// when the operator's events in kube-system are not theirs to read. Each note names the object it is about.</summary>
    public static async Task<IReadOnlyList<Item>> ListInNamespaceAsync(IKubernetes client, string ns, int newest, CancellationToken ct)
    {
        var list = await client.EventsV1.ListNamespacedEventAsync(ns, cancellationToken: ct);
        return list.Items
            .Select(e => new Item(Time(e), e.Type ?? "", e.Reason ?? "", $"{e.Regarding?.Kind} {e.Regarding?.Name}: {e.Note}", e.Series?.Count ?? 1))
            .OrderBy(e => e.Time)
            .TakeLast(newest)
            .ToList();
    }

    private static DateTimeOffset? Time(Eventsv1Event e)
    {
        var t = e.Series?.LastObservedTime ?? e.EventTime ?? e.DeprecatedLastTimestamp ?? e.Metadata.CreationTimestamp;
        return t is { } d ? new DateTimeOffset(DateTime.SpecifyKind(d, DateTimeKind.Utc)) : null;
    }
}
