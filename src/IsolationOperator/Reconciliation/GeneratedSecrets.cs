using IsolationOperator.Api.V1Alpha1;
using IsolationOperator.Desired;
using IsolationOperator.Engine;
using k8s;
using k8s.Models;

namespace IsolationOperator.Reconciliation;

/// <summary>What one pass did to the tenant's generated secrets.</summary>
public sealed record SecretsResult(
    DemoTenant Tenant,
    IReadOnlyList<ApplyOutcome> Outcomes,
    IReadOnlyList<string> Rotated,
    IReadOnlyList<string> NotOwned,
    IReadOnlyList<SecretStatus> Status,
    IReadOnlyList<DateTimeOffset?> NextRotations);

/// <summary>
/// Generated secrets are never lost and never adopted: values are generated only by a create (AlreadyExists means
/// "look again", never "overwrite"), existing Secrets change only under a resourceVersion precondition, and the
/// decision to generate (a new mark) is written to status before the values are, so a crash in between neither
/// loses the Secret nor rotates it twice.
/// Secrets are read by name, never listed or watched (the operator may not read Secrets outside demo namespaces): what
/// was read or written is trusted for <paramref name="freshFor"/> (Operator__SecretReadPeriod), then read again, so a
/// Secret someone else deleted or changed is seen within that period.
/// </summary>
public sealed class GeneratedSecrets(IKubernetes client, Informer<V1Secret> cache, StatusWriter status, TimeProvider time, TimeSpan freshFor)
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, DateTimeOffset> _readAt = new(StringComparer.Ordinal);

    private sealed record Item(SecretPlan Plan, V1Secret? Live, SecretStatus? Recorded, SecretState State, bool RotationDue);

    /// <param name="namespaceIsNew">This pass created the namespace: nothing can be in it yet, so no read is needed to
    /// know that (a Secret someone makes in between is found by the create's AlreadyExists and judged as before).</param>
    public async Task<SecretsResult> EnsureAsync(DemoTenant tenant, TenantPlan plan, DateTimeOffset now, CancellationToken ct, bool namespaceIsNew = false)
    {
        var items = new List<Item>();
        foreach (var s in plan.Secrets)
        {
            var live = namespaceIsNew ? null : await LookAsync(plan.Namespace, s.Name, ct);
            var recorded = tenant.Status?.Secrets?.FirstOrDefault(r => r.Name == s.Name);
            var state = SecretOwnership.Of(live, recorded);
            // The cache keeps no managedFields: an unmarked Secret status already lists may be an earlier version's.
            if (state == SecretState.Foreign && recorded is not null && SecretOwnership.MarkOf(live) is null)
                state = SecretOwnership.Of(live = await ReadAsync(plan.Namespace, s.Name, ct), recorded);
            var due = state == SecretState.Current && SecretBuilder.NextRotation(s, live) is { } next && next <= now;
            items.Add(new Item(s, live, recorded, state, due));
        }

        // Intent first: a new mark for every secret about to get values (new, due for rotation, or adopted).
        if (items.Any(NeedsMark))
        {
            var next = StatusWriter.Copy(tenant);
            next.Secrets = items.Select(i => NeedsMark(i)
                ? new SecretStatus
                {
                    Name = i.Plan.Name, Keys = Keys(i.Plan), LastRotated = i.Recorded?.LastRotated,
                    GenerationId = SecretOwnership.NewMark(), PreviousGenerationId = i.RotationDue ? i.Recorded!.GenerationId : null,
                }
                : i.Recorded ?? new SecretStatus { Name = i.Plan.Name, Keys = Keys(i.Plan) }).ToList();
            // An intent, not yet an action: the audit trail records the generation in the pass's final write (or the next pass's).
            tenant = await status.WriteAsync(tenant, next, ct, record: false) ?? tenant;
            items = items.Select(i => i with { Recorded = tenant.Status!.Secrets!.First(r => r.Name == i.Plan.Name), State = i.State == SecretState.Current && i.RotationDue ? SecretState.RotationPending : i.State }).ToList();
        }

        var outcomes = new List<ApplyOutcome>();
        var rotated = new List<string>();
        var notOwned = new List<string>();
        var result = new List<SecretStatus>();
        foreach (var i in items)
        {
            if (i.State == SecretState.Foreign || i.Recorded?.GenerationId is not { } mark)
            {
                notOwned.Add(i.Plan.Name);
                result.Add(i.Recorded ?? new SecretStatus { Name = i.Plan.Name, Keys = Keys(i.Plan) });
                continue;
            }
            V1Secret? written = i.Live;
            switch (i.State)
            {
                case SecretState.Absent:
                    written = await CreateAsync(Build(plan, i.Plan, null, false, now, mark), ct);
                    if (written is null)
                    {
                        // Someone made one in between: ours only if it carries our mark.
                        written = await ReadAsync(plan.Namespace, i.Plan.Name, ct);
                        if (SecretOwnership.Of(written, i.Recorded) != SecretState.Current) { notOwned.Add(i.Plan.Name); written = null; }
                    }
                    else outcomes.Add(new ApplyOutcome(ApplyAction.Created, "Secret", i.Plan.Name, []));
                    break;
                case SecretState.RotationPending:
                    written = await ReplaceAsync(i.Live!, Build(plan, i.Plan, null, true, now, mark), ct);
                    outcomes.Add(new ApplyOutcome(ApplyAction.Updated, "Secret", i.Plan.Name, ["data"]));
                    rotated.Add(i.Plan.Name);
                    break;
                case SecretState.Current or SecretState.Legacy:
                    var diffs = Differences(plan, i.Plan, i.Live!, now, mark);
                    if (diffs.Count > 0)
                    {
                        // The cache holds key names only: the values to carry over are read now, by name.
                        var full = await ReadAsync(plan.Namespace, i.Plan.Name, ct) ?? throw new InvalidOperationException($"Secret {i.Plan.Name} vanished; retrying");
                        written = await ReplaceAsync(full, Build(plan, i.Plan, full, false, now, mark), ct);
                        outcomes.Add(new ApplyOutcome(ApplyAction.Updated, "Secret", i.Plan.Name, diffs));
                    }
                    break;
            }
            result.Add(new SecretStatus
            {
                Name = i.Plan.Name,
                Keys = Keys(i.Plan),
                LastRotated = SecretBuilder.GeneratedAt(written) ?? i.Recorded.LastRotated,
                GenerationId = mark,
                // Kept until the Secret carries the new mark, so a crash mid-rotation still recognises it.
                PreviousGenerationId = SecretOwnership.MarkOf(written) == mark ? null : i.Recorded.PreviousGenerationId,
            });
        }
        var rotations = plan.Secrets.Select(s => SecretBuilder.NextRotation(s, cache.Get(plan.Namespace, s.Name))).ToList();
        // Secrets the tenant no longer asks for: looked at so that pruning (which reads the store) finds its own.
        if (!namespaceIsNew)
            foreach (var gone in (tenant.Status?.Secrets ?? []).Where(r => plan.Secrets.All(s => s.Name != r.Name)))
                await LookAsync(plan.Namespace, gone.Name, ct);
        return new SecretsResult(tenant, outcomes, rotated, notOwned, result, rotations);
    }

    /// <summary>The stored Secret while it is fresh; otherwise a read by name, which refreshes (or empties) the store.</summary>
    private async Task<V1Secret?> LookAsync(string ns, string name, CancellationToken ct)
    {
        var key = ObjectStore<V1Secret>.Key(ns, name);
        var now = time.GetUtcNow();
        if (_readAt.TryGetValue(key, out var at) && now - at < freshFor) return cache.Get(ns, name);
        // Stale marks would be read again anyway: dropping them keeps this bounded as demos come and go.
        if (_readAt.Count > 2 * cache.Count + 1000)
            foreach (var (k, t) in _readAt) if (now - t >= freshFor) _readAt.TryRemove(k, out _);
        return await ReadAsync(ns, name, ct);
    }

    /// <summary>The operator's own secrets of this tenant in its namespace, by their mark (for pruning).</summary>
    public static bool IsOwn(V1Secret live, DemoTenant tenant) =>
        SecretOwnership.Of(live, tenant.Status?.Secrets?.FirstOrDefault(r => r.Name == live.Metadata.Name)) is SecretState.Current or SecretState.RotationPending or SecretState.Legacy;

    /// <summary>What differs besides values (which the cache does not hold): labels, annotations, the set of keys.</summary>
    private static IReadOnlyList<string> Differences(TenantPlan plan, SecretPlan s, V1Secret live, DateTimeOffset now, string mark)
    {
        var desired = Build(plan, s, live, false, now, mark);
        var keys = s.Keys.Select(k => k.Name).Order(StringComparer.Ordinal).ToList();
        var liveKeys = (live.Data?.Keys ?? []).Order(StringComparer.Ordinal).ToList();
        desired.Data = null;
        var diffs = ObjectDiff.Compare(desired, new V1Secret { Metadata = live.Metadata, Type = live.Type }).ToList();
        // The cached values are empty, so Build stamps "generated now": only a live Secret without a stamp differs there.
        if (SecretBuilder.GeneratedAt(live) is not null)
            diffs.Remove($"metadata.annotations.{SecretBuilder.GeneratedAtAnnotation}");
        if (!keys.SequenceEqual(liveKeys)) diffs.Add("data (keys)");
        return diffs;
    }

    private static bool NeedsMark(Item i) => i.RotationDue || i.State == SecretState.Legacy || (i.State == SecretState.Absent && i.Recorded?.GenerationId is null);

    private static List<string> Keys(SecretPlan s) => s.Keys.Select(k => k.Name).ToList();

    private static V1Secret Build(TenantPlan plan, SecretPlan s, V1Secret? carry, bool rotate, DateTimeOffset now, string mark)
    {
        var secret = SecretBuilder.Build(plan, s, carry, rotate, now);
        secret.Metadata.Annotations[SecretOwnership.GenerationAnnotation] = mark;
        return secret;
    }

    /// <returns>The Secret with its values; the store keeps a copy without them.</returns>
    private async Task<V1Secret?> ReadAsync(string ns, string name, CancellationToken ct)
    {
        var at = time.GetUtcNow();
        try
        {
            var live = await OwnedKinds.Secrets.Read(client, name, ns, ct);
            Remember(KubernetesJson.Deserialize<V1Secret>(KubernetesJson.Serialize(live)), at);
            return live;
        }
        catch (Exception e) when (ApiErrors.IsNotFound(e, "secrets"))
        {
            cache.Remove(ns, name);
            _readAt[ObjectStore<V1Secret>.Key(ns, name)] = at;
            return null;
        }
    }

    /// <summary>Trusted until <c>freshFor</c> has passed, but only once the store really holds it (its namespace is known).</summary>
    private void Remember(V1Secret secret, DateTimeOffset at)
    {
        cache.Upsert(secret);
        if (cache.Get(secret.Metadata.NamespaceProperty, secret.Metadata.Name) is not null)
            _readAt[ObjectStore<V1Secret>.Key(secret.Metadata.NamespaceProperty, secret.Metadata.Name)] = at;
    }

    /// <returns>The created Secret, or null when one of that name already exists.</returns>
    private async Task<V1Secret?> CreateAsync(V1Secret secret, CancellationToken ct)
    {
        try
        {
            var created = await client.CoreV1.CreateNamespacedSecretAsync(secret, secret.Metadata.NamespaceProperty,
                fieldManager: OperatorIdentity.FieldManager, cancellationToken: ct);
            OperatorMetrics.Writes.WithLabels("Secret", "create").Inc();
            Remember(created, time.GetUtcNow());
            return created;
        }
        catch (Exception e) when (ApiErrors.IsAlreadyExists(e)) { return null; }
    }

    /// <summary>Replaces an existing Secret only if it is still the version this pass read (409 otherwise, and a retry).</summary>
    private async Task<V1Secret> ReplaceAsync(V1Secret live, V1Secret desired, CancellationToken ct)
    {
        desired.Metadata.ResourceVersion = live.Metadata.ResourceVersion;
        foreach (var (k, v) in live.Metadata.Labels ?? new Dictionary<string, string>()) desired.Metadata.Labels.TryAdd(k, v);
        foreach (var (k, v) in live.Metadata.Annotations ?? new Dictionary<string, string>()) desired.Metadata.Annotations.TryAdd(k, v);
        var replaced = await client.CoreV1.ReplaceNamespacedSecretAsync(desired, desired.Metadata.Name, desired.Metadata.NamespaceProperty,
            fieldManager: OperatorIdentity.FieldManager, cancellationToken: ct);
        OperatorMetrics.Writes.WithLabels("Secret", "update").Inc();
        Remember(replaced, time.GetUtcNow());
        return replaced;
    }

}
