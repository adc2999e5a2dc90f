using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace IsolationOperator.Engine;

/// <summary>
/// Writes desired objects by server-side apply under one field manager, and only when the cached live object
/// differs: a reconcile with nothing to change makes no request at all.
/// </summary>
public sealed class ResourceApplier
{
    private readonly IKubernetes _client;
    // (kind/ns/name) -> hash of what we applied and the resourceVersion it produced. Fields the server fills in
    // itself would otherwise look like drift forever; an object nobody touched since our apply is left alone.
    private readonly ConcurrentDictionary<string, (string Hash, string? ResourceVersion)> _lastApplied = new();

    private readonly DriftGuard? _guard;
    private readonly string _version;

    /// <summary>On every object the operator applies: which operator version wrote it (an upgrade's changes are not drift).</summary>
    public const string VersionAnnotation = "isolation.demo.dev/operator-version";

    public ResourceApplier(IKubernetes client, DriftGuard? guard = null, string? version = null)
    {
        _client = client;
        _guard = guard;
        _version = version ?? Hosting.BuildInfo.Version;
    }

    /// <summary>Marks an object as written by this operator version (also for objects created outside the applier).</summary>
    public void Stamp(V1ObjectMeta meta)
    {
        meta.Annotations ??= new Dictionary<string, string>();
        meta.Annotations[VersionAnnotation] = _version;
    }

    /// <summary>Whether the live object is what this desired one asks for: from the last look when neither side moved.</summary>
    public bool Matches<T>(string kind, T desired, T? live) where T : class, IKubernetesObject<V1ObjectMeta>
    {
        if (live is null) return false;
        Stamp(desired.Metadata);
        var key = Key(kind, desired.Metadata);
        var hash = Hash(KubernetesJson.Serialize(desired));
        return _lastApplied.TryGetValue(key, out var last) && last.Hash == hash && last.ResourceVersion == live.Metadata.ResourceVersion
               || ObjectDiff.Compare(desired, live).Count == 0;
    }

    /// <param name="driftOnly">True when the spec did not change since the last good reconcile: any difference is
    /// someone else's doing, and repeated corrections of one object are bounded by the drift guard.</param>
    public async Task<ApplyOutcome> ApplyAsync<T>(OwnedKind<T> kind, Informer<T> cache, T desired, CancellationToken ct, bool driftOnly = false)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        var meta = desired.Metadata;
        Stamp(meta);
        var key = Key(kind.Kind, meta);
        var live = cache.Get(meta.NamespaceProperty, meta.Name);
        var body = KubernetesJson.Serialize(desired);
        var hash = Hash(body);

        IReadOnlyList<string> diffs = [];
        if (live is not null)
        {
            // Neither side changed since the last look (same desired hash, same live resourceVersion): no diff needed.
            // This keeps a no-op resync cheap; the full comparison runs only when something moved.
            if (_lastApplied.TryGetValue(key, out var last) && last.Hash == hash && last.ResourceVersion == live.Metadata.ResourceVersion)
                return new ApplyOutcome(ApplyAction.Unchanged, kind.Kind, meta.Name, []);
            diffs = ObjectDiff.Compare(desired, live);
            if (diffs.Count == 0)
            {
                _lastApplied[key] = (hash, live.Metadata.ResourceVersion);
                return new ApplyOutcome(ApplyAction.Unchanged, kind.Kind, meta.Name, []);
            }
        }
        var byUpgrade = live is not null && (live.Metadata.Annotations is not { } a || !a.TryGetValue(VersionAnnotation, out var v) || v != _version);
        var guarded = live is not null && driftOnly && !byUpgrade && _guard is not null;
        if (guarded && _guard!.HeldUntil(key) is { } held)
            return new ApplyOutcome(ApplyAction.HeldOff, kind.Kind, meta.Name, diffs) { RetryAt = held.Until, CompetingManagers = held.Competitors };

        var result = await kind.Patch(_client, new V1Patch(body, V1Patch.PatchType.ApplyPatch), meta.Name, meta.NamespaceProperty, ct);
        OperatorMetrics.Writes.WithLabels(kind.Kind, "apply").Inc();
        var competitors = Competitors(result);
        if (guarded) _guard!.Corrected(key, competitors);
        if (live is not null && ObjectDiff.Compare(desired, result).Count > 0)
        {
            // Apply cannot take away fields another manager owns inside ours (a key added to our ResourceQuota's
            // spec.hard map): replace the whole field with ours.
            result = await kind.Replace(_client, Overlay<T>(result, desired), ct);
            OperatorMetrics.Writes.WithLabels(kind.Kind, "update").Inc();
        }
        _lastApplied[key] = (hash, result.Metadata.ResourceVersion);
        cache.Upsert(result);
        return new ApplyOutcome(live is null ? ApplyAction.Created : ApplyAction.Updated, kind.Kind, meta.Name, diffs)
        {
            CompetingManagers = competitors,
            ByUpgrade = byUpgrade,
        };
    }

    private static string Key(string kind, V1ObjectMeta meta) => $"{kind}/{meta.NamespaceProperty}/{meta.Name}";

    private static string Hash(string body) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(body)));

    /// <summary>
    /// Field managers other than ours that own part of the object itself. Status writers aside: before 1.22 their
    /// entries carry no subresource, so an entry that owns nothing but status (the quota controller's) is one too.
    /// </summary>
    private static IReadOnlyList<string> Competitors<T>(T written) where T : IKubernetesObject<V1ObjectMeta> =>
        written.Metadata.ManagedFields?
            .Where(m => m.Manager != OperatorIdentity.FieldManager && string.IsNullOrEmpty(m.Subresource) && !OwnsOnlyStatus(m))
            .Select(m => m.Manager).Distinct().Order(StringComparer.Ordinal).ToList() ?? [];

    private static bool OwnsOnlyStatus(V1ManagedFieldsEntry entry)
    {
        if (entry.FieldsV1 is null) return false;
        using var doc = System.Text.Json.JsonDocument.Parse(KubernetesJson.Serialize(entry.FieldsV1));
        return doc.RootElement.ValueKind == System.Text.Json.JsonValueKind.Object &&
               doc.RootElement.EnumerateObject().All(p => p.Name == "f:status");
    }

    public async Task<ApplyOutcome> DeleteAsync<T>(OwnedKind<T> kind, Informer<T> cache, T live, CancellationToken ct)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        try
        {
            await kind.Delete(_client, live.Metadata.Name, live.Metadata.NamespaceProperty, ct);
            OperatorMetrics.Writes.WithLabels(kind.Kind, "delete").Inc();
        }
        catch (Exception e) when (ApiErrors.IsNotFound(e, kind.Resource))
        {
        }
        cache.Remove(live.Metadata.NamespaceProperty, live.Metadata.Name);
        _lastApplied.TryRemove(Key(kind.Kind, live.Metadata), out _);
        return new ApplyOutcome(ApplyAction.Deleted, kind.Kind, live.Metadata.Name, []);
    }

    private static T Overlay<T>(T live, T desired) where T : class, IKubernetesObject<V1ObjectMeta>
    {
        var l = ObjectDiff.ToNode(live);
        var d = ObjectDiff.ToNode(desired);
        foreach (var (key, value) in d)
            if (key is not ("metadata" or "status")) l[key] = value?.DeepClone();
        foreach (var field in new[] { "labels", "annotations" })
            if (d["metadata"]?[field] is JsonObject want)
            {
                var have = l["metadata"]![field] as JsonObject ?? new JsonObject();
                foreach (var (k, v) in want) have[k] = v?.DeepClone();
                l["metadata"]![field] = have;
            }
        return KubernetesJson.Deserialize<T>(l.ToJsonString());
    }
}
