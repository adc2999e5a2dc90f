using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace IsolationOperator.Audit;

/// <summary>The head ConfigMap's "head" entry: the chain head, how many chunks were sealed, and the recorded state.</summary>
public sealed record StoredHead
{
    [JsonPropertyName("tenant")] public string Tenant { get; init; } = "";
    [JsonPropertyName("uid")] public string Uid { get; init; } = "";
    [JsonPropertyName("seq")] public long Seq { get; init; }
    [JsonPropertyName("hash")] public string Hash { get; init; } = "";
    [JsonPropertyName("sealed")] public int Sealed { get; init; }
    /// <summary>Records kept in the head ConfigMap itself (the open chunk).</summary>
    [JsonPropertyName("open")] public int Open { get; init; }
    [JsonPropertyName("state")] public AuditState? State { get; init; }
    [JsonIgnore] public string ResourceVersion { get; init; } = "";

    public ChainHead Head => new(Seq, Hash);
}

/// <summary>One demo's trail as read back: its head and every record in sequence order.</summary>
public sealed record StoredTrail(StoredHead Head, IReadOnlyList<AuditRecord> Records, IReadOnlyList<string> Unreadable);

/// <summary>
/// Where the trail lives: ConfigMaps in the operator's namespace (tenants and sales engineers have no access there),
/// named by the DemoTenant's UID so a trail outlives its DemoTenant and a recreated demo of the same name starts its
/// own. "audit-&lt;uid&gt;" holds the head and the open chunk (at most <see cref="RecordsPerChunk"/> records); full
/// chunks move to immutable "audit-&lt;uid&gt;-&lt;n&gt;". Every change of the head carries its resourceVersion, so two
/// writers never both append after the same record.
/// </summary>
/// <param name="shard">Which operator writes here (a digest of its tenant selector): operators sharded by selector
/// sweep only the trails they wrote. Null for readers (the CLI).</param>
public sealed class AuditStore(IKubernetes client, string ns, string? shard = null)
{
    public const string ShardLabel = "isolation.demo.dev/audit-shard";

    /// <summary>The shard label value for an operator's tenant selector ("all" without one).</summary>
    public static string ShardOf(string? tenantSelector) => string.IsNullOrWhiteSpace(tenantSelector) ? "all"
        : Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(tenantSelector.Trim())))[..16];

    public const int RecordsPerChunk = 64;
    public const string KindLabel = "isolation.demo.dev/audit";
    public const string UidLabel = "isolation.demo.dev/tenant-uid";
    public const string TenantAnnotation = "isolation.demo.dev/tenant";
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = false };

    public string Namespace => ns;

    public static string HeadName(string uid) => $"audit-{uid}";
    public static string ChunkName(string uid, int n) => $"audit-{uid}-{n:D4}";
    public static string RecordKey(long seq) => $"r-{seq:D9}";

    public async Task<StoredHead?> ReadHeadAsync(string uid, CancellationToken ct)
    {
        var cm = await GetAsync(HeadName(uid), ct);
        return cm is null ? null : Head(cm);
    }

    /// <summary>Appends linked records and the new state after <paramref name="head"/> (null: the trail's first write).</summary>
    /// <exception cref="AuditConflictException">Someone else wrote the head since it was read: read again and redo.</exception>
    public async Task<StoredHead> AppendAsync(StoredHead? head, string tenant, string uid, IReadOnlyList<AuditRecord> records, AuditState state, CancellationToken ct)
    {
        var last = records.Count > 0 ? records[^1] : null;
        if (head is null)
        {
            var first = new StoredHead { Tenant = tenant, Uid = uid, Seq = last?.Seq ?? 0, Hash = last?.Hash ?? "", Open = records.Count, State = state };
            var data = records.ToDictionary(r => RecordKey(r.Seq), r => r.ToJson());
            data["head"] = JsonSerializer.Serialize(first, Json);
            try
            {
                var created = await client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap
                {
                    Metadata = Meta(HeadName(uid), tenant, uid, "head"),
                    Data = data,
                }, ns, cancellationToken: ct);
                return Head(created);
            }
            catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.Conflict) { throw new AuditConflictException(); }
        }

        if (head.Open + records.Count > RecordsPerChunk && head.Open > 0) head = await SealAsync(head, ct);
        var next = head with { Seq = last?.Seq ?? head.Seq, Hash = last?.Hash ?? head.Hash, Open = head.Open + records.Count, State = state };
        var patch = new JsonObject
        {
            ["metadata"] = new JsonObject { ["resourceVersion"] = head.ResourceVersion },
            ["data"] = Data(records.Select(r => (RecordKey(r.Seq), (string?)r.ToJson())).Append(("head", JsonSerializer.Serialize(next, Json)))),
        };
        return Head(await PatchAsync(HeadName(uid), patch, ct));
    }

    /// <summary>Moves the open records into the next immutable chunk. A crash between the two writes leaves the chunk
    /// in place and the records still open: the retry finds the chunk identical and goes on.</summary>
    private async Task<StoredHead> SealAsync(StoredHead head, CancellationToken ct)
    {
        var cm = await GetAsync(HeadName(head.Uid), ct) ?? throw new AuditConflictException();
        if (cm.Metadata.ResourceVersion != head.ResourceVersion) throw new AuditConflictException();
        var open = (cm.Data ?? new Dictionary<string, string>()).Where(kv => kv.Key.StartsWith("r-", StringComparison.Ordinal)).ToDictionary(kv => kv.Key, kv => kv.Value);
        var name = ChunkName(head.Uid, head.Sealed);
        try
        {
            await client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = Meta(name, head.Tenant, head.Uid, "chunk"), Data = open, Immutable = true }, ns, cancellationToken: ct);
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.Conflict)
        {
            var existing = await GetAsync(name, ct);
            if (existing?.Data is null || !existing.Data.OrderBy(kv => kv.Key).SequenceEqual(open.OrderBy(kv => kv.Key)))
                throw new InvalidOperationException($"audit chunk {ns}/{name} exists with other records: the trail of {head.Tenant} was tampered with");
        }
        var sealedHead = head with { Sealed = head.Sealed + 1, Open = 0 };
        var patch = new JsonObject
        {
            ["metadata"] = new JsonObject { ["resourceVersion"] = head.ResourceVersion },
            ["data"] = Data(open.Keys.Select(k => (k, (string?)null)).Append(("head", JsonSerializer.Serialize(sealedHead, Json)))),
        };
        return Head(await PatchAsync(HeadName(head.Uid), patch, ct));
    }

    /// <summary>Every record of one trail in sequence order: the sealed chunks, then the open one.</summary>
    public async Task<StoredTrail?> ReadTrailAsync(string uid, CancellationToken ct)
    {
        var cm = await GetAsync(HeadName(uid), ct);
        if (cm is null) return null;
        var head = Head(cm);
        var entries = new List<KeyValuePair<string, string>>();
        for (var n = 0; n < head.Sealed; n++)
            if (await GetAsync(ChunkName(uid, n), ct) is { Data: { } d }) entries.AddRange(d);
        entries.AddRange((cm.Data ?? new Dictionary<string, string>()).Where(kv => kv.Key.StartsWith("r-", StringComparison.Ordinal)));
        var records = new List<AuditRecord>();
        var unreadable = new List<string>();
        foreach (var (key, value) in entries.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            try { records.Add(AuditRecord.FromJson(value)); }
            catch (JsonException) { unreadable.Add(key); }
        }
        return new StoredTrail(head, records, unreadable);
    }

    /// <summary>Every trail's head in the namespace (paged), for the CLI; with <paramref name="ownOnly"/>, this shard's (the sweep).</summary>
    public async Task<IReadOnlyList<StoredHead>> ListHeadsAsync(CancellationToken ct, bool ownOnly = false)
    {
        var heads = new List<StoredHead>();
        string? next = null;
        var selector = ownOnly && shard is not null ? $"{KindLabel}=head,{ShardLabel}={shard}" : $"{KindLabel}=head";
        do
        {
            var page = await client.CoreV1.ListNamespacedConfigMapAsync(ns, labelSelector: selector, limit: 100, continueParameter: next, cancellationToken: ct);
            heads.AddRange(page.Items.Select(Head));
            next = page.Metadata?.ContinueProperty;
        } while (!string.IsNullOrEmpty(next));
        return heads;
    }

    /// <summary>Removes a whole trail (retention): the chunks first, the head last, so a crash leaves a head to find.</summary>
    public async Task DeleteTrailAsync(StoredHead head, CancellationToken ct)
    {
        for (var n = 0; n < head.Sealed; n++) await DeleteAsync(ChunkName(head.Uid, n), ct);
        await DeleteAsync(HeadName(head.Uid), ct);
    }

    private static StoredHead Head(V1ConfigMap cm)
    {
        var raw = cm.Data is { } d && d.TryGetValue("head", out var h) ? h : null;
        var head = string.IsNullOrEmpty(raw) ? null : JsonSerializer.Deserialize<StoredHead>(raw, Json);
        return (head ?? new StoredHead { Tenant = Value(cm.Metadata.Annotations, TenantAnnotation), Uid = Value(cm.Metadata.Labels, UidLabel) })
            with { ResourceVersion = cm.Metadata.ResourceVersion };
    }

    private static string Value(IDictionary<string, string>? d, string key) => d is not null && d.TryGetValue(key, out var v) ? v : "";

    private V1ObjectMeta Meta(string name, string tenant, string uid, string kind) => new()
    {
        Name = name,
        Labels = new Dictionary<string, string> { [KindLabel] = kind, [UidLabel] = uid, [ShardLabel] = shard ?? "all", ["app.kubernetes.io/managed-by"] = "isolation-operator" },
        Annotations = new Dictionary<string, string> { [TenantAnnotation] = tenant },
    };

    private static JsonObject Data(IEnumerable<(string Key, string? Value)> entries)
    {
        var o = new JsonObject();
        foreach (var (k, v) in entries) o[k] = v is null ? null : JsonValue.Create(v);
        return o;
    }

    private async Task<V1ConfigMap> PatchAsync(string name, JsonObject patch, CancellationToken ct)
    {
        try { return await client.CoreV1.PatchNamespacedConfigMapAsync(new V1Patch(patch.ToJsonString(), V1Patch.PatchType.MergePatch), name, ns, cancellationToken: ct); }
        catch (HttpOperationException e) when (e.Response.StatusCode is HttpStatusCode.Conflict or HttpStatusCode.NotFound) { throw new AuditConflictException(); }
    }

    private async Task<V1ConfigMap?> GetAsync(string name, CancellationToken ct)
    {
        try { return await client.CoreV1.ReadNamespacedConfigMapAsync(name, ns, cancellationToken: ct); }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound) { return null; }
    }

    private async Task DeleteAsync(string name, CancellationToken ct)
    {
        try { await client.CoreV1.DeleteNamespacedConfigMapAsync(name, ns, cancellationToken: ct); }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound) { }
    }
}

/// <summary>The head changed under us (another replica, or a retry after a crash): read it again and redo.</summary>
public sealed class AuditConflictException() : Exception("the audit trail's head changed since it was read");
