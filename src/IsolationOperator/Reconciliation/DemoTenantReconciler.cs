using System.Net;
using IsolationOperator.Api.V1Alpha1;
using IsolationOperator.Desired;
using IsolationOperator.Engine;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace IsolationOperator.Reconciliation;

/// <summary>
/// Level-based: given a tenant's name, look at the world as the caches show it, make it match the spec, and say so
/// in status. Spec mistakes become a Failed status with a readable message and no retry; API errors are thrown so the
/// queue retries with backoff. Validation comes before any write, so a bad spec leaves nothing half-made.
/// </summary>
public sealed class DemoTenantReconciler
{
    private readonly IKubernetes _client;
    private readonly ClusterCache _cache;
    private readonly ResourceApplier _applier;
    private readonly StatusWriter _status;
    private readonly EventRecorder _events;
    private readonly TimeProvider _time;
    private readonly TimeSpan _warningWindow;
    private readonly WorkloadSuspension _suspension;
    private readonly ILogger _log;

    public DemoTenantReconciler(IKubernetes client, ClusterCache cache, EventRecorder events, TimeProvider time, TimeSpan warningWindow, ILogger<DemoTenantReconciler> log)
    {
        _warningWindow = warningWindow;
        _suspension = new WorkloadSuspension(client);
        _client = client;
        _cache = cache;
        _applier = new ResourceApplier(client);
        _status = new StatusWriter(client, cache.Tenants, time);
        _events = events;
        _time = time;
        _log = log;
    }

    public async Task<ReconcileResult> ReconcileAsync(string name, CancellationToken ct)
    {
        var tenant = _cache.Tenants.Get(null, name);
        if (tenant is null) return ReconcileResult.Done;
        if (tenant.Metadata.DeletionTimestamp is not null) return await FinalizeAsync(tenant, ct);

        await EnsureFinalizerAsync(tenant, ct);
        var now = _time.GetUtcNow();
        var planned = TenantPlanner.Plan(tenant, now);
        if (planned.Plan is not { } plan)
            return await RejectAsync(tenant, ConditionTypes.Ready, "InvalidSpec",
                "The DemoTenant spec cannot be used: " + string.Join("; ", planned.Problems) + ". Nothing was created or changed.", ct);

        var stage = Lifecycle.Stage(tenant, plan, now, _warningWindow);
        if (stage == LifeStage.Expired) return await ExpireAsync(tenant, plan, now, ct);

        var ns = await ReadNamespaceAsync(plan.Namespace, ct);
        if (ns is not null && TenantLabels.TenantOf(ns.Metadata) != tenant.Metadata.Name)
            return await RejectAsync(tenant, ConditionTypes.NamespaceReady, "NamespaceNotOwned",
                $"Namespace \"{plan.Namespace}\" already exists and does not belong to this DemoTenant; it was left untouched. " +
                "Choose another spec.namespace.", ct);
        if (ns?.Metadata.DeletionTimestamp is not null)
        {
            await WriteStatusAsync(tenant, Phases.Provisioning, plan, [Conditions.Make(ConditionTypes.NamespaceReady, false,
                "NamespaceTerminating", $"Waiting for the previous namespace \"{plan.Namespace}\" to finish deleting.", tenant.Metadata.Generation)], ct);
            return ReconcileResult.After(TimeSpan.FromSeconds(2));
        }

        var secrets = await ExistingSecretsAsync(plan, namespaceExists: ns is not null, ct);
        var rotating = plan.Secrets.Where(s => RotationDue(s, secrets.GetValueOrDefault(s.Name), now)).Select(s => s.Name).ToHashSet();
        var desired = DesiredState.Build(plan, tenant.Spec.Owner, tenant.Spec.Prospect,
            n => secrets.GetValueOrDefault(n), s => rotating.Contains(s.Name), now);

        List<ApplyOutcome> outcomes;
        try
        {
            outcomes = await ApplyAllAsync(desired, ct);
            outcomes.AddRange(await PruneAsync(tenant.Metadata.Name, desired, ct));
            await SuspendOrResumeAsync(tenant, plan, ct);
        }
        catch (HttpOperationException e) when (e.Response.StatusCode is HttpStatusCode.UnprocessableEntity or HttpStatusCode.Forbidden)
        {
            await WriteStatusAsync(tenant, Phases.Failed, plan, [Conditions.Make(ConditionTypes.Ready, false, "ApplyRejected",
                $"The API server refused a change: {ApiMessage(e)}. Retrying with backoff.", tenant.Metadata.Generation)], ct);
            throw;
        }

        await RecordChangesAsync(tenant, plan, outcomes, rotating, ct);
        var conditions = SuccessConditions(tenant, plan);
        var quotaPending = conditions.Any(c => c is { Type: ConditionTypes.QuotaEnforced, Status: "False" });
        var notReady = conditions.Where(c => c.Status != "True").ToList();
        var ready = notReady.Count == 0;
        conditions.Add(Conditions.Make(ConditionTypes.Ready, ready, ready ? "Provisioned" : notReady[0].Reason,
            ready ? $"Namespace {plan.Namespace} is isolated and ready for {tenant.Spec.Prospect}."
                  : string.Join(" ", notReady.Select(c => c.Message)), tenant.Metadata.Generation));
        conditions.Add(stage == LifeStage.Expiring
            ? Conditions.Make(ConditionTypes.Expiring, true, "ExpiringSoon", $"The demo expires at {plan.ExpiresAt:u}; then access is revoked and the namespace deleted. Move spec.expiresAt or spec.ttl later to extend it.", tenant.Metadata.Generation)
            : Conditions.Make(ConditionTypes.Expiring, false, plan.ExpiresAt is null ? "NoExpiry" : "NotDue",
                plan.ExpiresAt is { } at ? $"The demo expires at {at:u}." : "The demo has no expiry.", tenant.Metadata.Generation));

        var phase = !ready ? (quotaPending ? Phases.Provisioning : Phases.Degraded)
            : plan.Suspended ? Phases.Suspended
            : stage == LifeStage.Expiring ? Phases.Expiring : Phases.Ready;
        var previousPhase = tenant.Status?.Phase;
        var extended = Lifecycle.WasExtended(tenant, plan) && tenant.Status?.Phase is not (null or Phases.Failed);
        var extendedBy = extended ? LastSpecManager(tenant) : null;
        var wrote = await WriteStatusAsync(tenant, phase, plan, conditions, ct, extended ? (now, extendedBy) : null);
        if (wrote && extended)
            await _events.RecordAsync(tenant, EventRecorder.Normal, "Extended", "Extend",
                $"Expiry moved from {tenant.Status!.ExpiresAt:u} to {plan.ExpiresAt:u} by {extendedBy ?? "unknown"}.", ct);
        if (wrote && phase == Phases.Expiring && previousPhase != Phases.Expiring)
            await _events.RecordAsync(tenant, EventRecorder.Warning, "ExpiringSoon", "Warn",
                $"The demo for {tenant.Spec.Prospect} expires at {plan.ExpiresAt:u}.", ct);
        if (wrote && phase == Phases.Degraded && previousPhase != Phases.Degraded)
            await _events.RecordAsync(tenant, EventRecorder.Warning, notReady[0].Reason, "Check", notReady[0].Message, ct);

        if (quotaPending) return ReconcileResult.After(TimeSpan.FromSeconds(2));
        return ReconcileResult.Earliest(now, Lifecycle.Deadlines(plan, _warningWindow).Concat(SecretRotations(plan, secrets)));
    }

    /// <summary>
    /// At expiry, in this order: access is revoked (every RoleBinding, then the workload ServiceAccount so its tokens
    /// stop working), then the namespace is deleted. The DemoTenant stays as the record.
    /// </summary>
    private async Task<ReconcileResult> ExpireAsync(DemoTenant tenant, TenantPlan plan, DateTimeOffset now, CancellationToken ct)
    {
        var name = tenant.Metadata.Name;
        var revoked = await DeleteBindingsAsync(name, ct);
        foreach (var sa in _cache.ServiceAccounts.Items.Where(a => TenantLabels.TenantOf(a.Metadata) == name).ToList())
            await _applier.DeleteAsync(OwnedKinds.ServiceAccounts, _cache.ServiceAccounts, sa, ct);

        var nsName = tenant.Status?.Namespace ?? plan.Namespace;
        if (await OwnNamespaceAsync(nsName, name, ct) is { Metadata.DeletionTimestamp: null } ns)
            await _applier.DeleteAsync(OwnedKinds.Namespaces, _cache.Namespaces, ns, ct);

        var status = CopyStatus(tenant);
        var expiredAt = status.ExpiredAt ?? now;
        var gen = tenant.Metadata.Generation;
        var revived = plan.ExpiresAt is { } later && later > now
            ? " Moving expiresAt or ttl later does not revive an expired demo: create a new DemoTenant." : "";
        status.Phase = Phases.Expired;
        status.ExpiredAt = expiredAt;
        status.ExpiresAt ??= plan.ExpiresAt;
        status.ManagedResources = ManagedResources(name);
        status.Conditions =
        [
            Conditions.Make(ConditionTypes.Ready, false, "Expired", $"The demo expired at {expiredAt:u}; access was revoked and namespace {nsName} deleted.{revived}", gen),
            Conditions.Make(ConditionTypes.Expiring, true, "Expired", $"Expired at {expiredAt:u}.", gen),
            Conditions.Make(ConditionTypes.AccessScoped, false, "AccessRevoked", "Every RoleBinding of the demo and its ServiceAccount were removed.", gen),
            Conditions.Make(ConditionTypes.NamespaceReady, false, "NamespaceDeleted", $"Namespace {nsName} was deleted with everything in it.", gen),
        ];
        if (await _status.WriteAsync(tenant, status, ct) && tenant.Status?.Phase != Phases.Expired)
            await _events.RecordAsync(tenant, EventRecorder.Warning, "Expired", "Expire",
                $"Demo expired: {revoked} RoleBinding(s) removed, ServiceAccount deleted, namespace {nsName} deleted.", ct);
        return ReconcileResult.Done;
    }

    /// <summary>Suspend scales workloads to zero (and bindings are gone via the plan); resume restores them.</summary>
    private async Task SuspendOrResumeAsync(DemoTenant tenant, TenantPlan plan, CancellationToken ct)
    {
        var wasSuspended = tenant.Status?.Phase == Phases.Suspended;
        if (plan.Suspended && !wasSuspended)
        {
            var n = await _suspension.SuspendAsync(plan.Namespace, ct);
            await _events.RecordAsync(tenant, EventRecorder.Normal, "Suspended", "Suspend", $"Access removed and {n} workload(s) scaled to zero; data and secrets kept.", ct);
        }
        else if (!plan.Suspended && wasSuspended)
        {
            var n = await _suspension.ResumeAsync(plan.Namespace, ct);
            await _events.RecordAsync(tenant, EventRecorder.Normal, "Resumed", "Resume", $"Access restored and {n} workload(s) scaled back.", ct);
        }
    }

    /// <summary>The field manager that last wrote the spec (kubectl, a pipeline): who extended the demo.</summary>
    private static string? LastSpecManager(DemoTenant t) =>
        t.Metadata.ManagedFields?.Where(m => m.Manager != OperatorIdentity.FieldManager && m.Subresource is null or "")
            .OrderByDescending(m => m.Time).FirstOrDefault()?.Manager;

    private async Task EnsureFinalizerAsync(DemoTenant tenant, CancellationToken ct)
    {
        if (tenant.Metadata.Finalizers?.Contains(OperatorIdentity.Finalizer) == true) return;
        var body = KubernetesJson.Serialize(new
        {
            apiVersion = DemoTenant.ApiGroupVersion,
            kind = DemoTenant.KindName,
            metadata = new { name = tenant.Metadata.Name, finalizers = new[] { OperatorIdentity.Finalizer } },
        });
        var updated = await OwnedKinds.DemoTenants.Patch(_client, new V1Patch(body, V1Patch.PatchType.ApplyPatch), tenant.Metadata.Name, null, ct);
        OperatorMetrics.Writes.WithLabels(DemoTenant.KindName, "apply").Inc();
        _cache.Tenants.Upsert(updated);
        tenant.Metadata.Finalizers = updated.Metadata.Finalizers;
        tenant.Metadata.ResourceVersion = updated.Metadata.ResourceVersion;
    }

    /// <summary>Deleting a DemoTenant: access goes first, then the namespace it owns (never one it does not), then the finalizer.</summary>
    private async Task<ReconcileResult> FinalizeAsync(DemoTenant tenant, CancellationToken ct)
    {
        if (tenant.Metadata.Finalizers?.Contains(OperatorIdentity.Finalizer) != true) return ReconcileResult.Done;
        var name = tenant.Metadata.Name;
        await DeleteBindingsAsync(name, ct);

        var nsName = tenant.Status?.Namespace ?? TenantPlanner.NamespaceFor(tenant);
        if (await OwnNamespaceAsync(nsName, name, ct) is { } ns)
        {
            if (ns.Metadata.DeletionTimestamp is null)
            {
                await _applier.DeleteAsync(OwnedKinds.Namespaces, _cache.Namespaces, ns, ct);
                await _events.RecordAsync(tenant, EventRecorder.Normal, "Deleting", "Delete", $"Access revoked; deleting namespace {nsName}.", ct);
            }
            var status = CopyStatus(tenant);
            status.Phase = Phases.Terminating;
            status.Conditions = [Conditions.Make(ConditionTypes.Ready, false, "Deleting",
                $"Access revoked; waiting for namespace {nsName} to be removed.", tenant.Metadata.Generation)];
            await _status.WriteAsync(tenant, status, ct);
            return ReconcileResult.After(TimeSpan.FromSeconds(2));
        }

        // The commit step: must not be cut short by shutdown once started.
        await RemoveFinalizerAsync(tenant, CancellationToken.None);
        _log.LogInformation("DemoTenant {Tenant} deleted; namespace {Namespace} removed", name, nsName);
        return ReconcileResult.Done;
    }

    private async Task RemoveFinalizerAsync(DemoTenant tenant, CancellationToken ct)
    {
        var index = tenant.Metadata.Finalizers!.IndexOf(OperatorIdentity.Finalizer);
        // A JSON patch with a test: removes exactly our entry, and fails rather than removing someone else's.
        var patch = $$"""[{"op":"test","path":"/metadata/finalizers/{{index}}","value":"{{OperatorIdentity.Finalizer}}"},{"op":"remove","path":"/metadata/finalizers/{{index}}"}]""";
        try
        {
            await _client.CustomObjects.PatchClusterCustomObjectAsync(new V1Patch(patch, V1Patch.PatchType.JsonPatch),
                DemoTenant.Group, DemoTenant.Version, DemoTenant.Plural, tenant.Metadata.Name, fieldManager: OperatorIdentity.FieldManager, cancellationToken: ct);
            OperatorMetrics.Writes.WithLabels(DemoTenant.KindName, "patch").Inc();
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
        {
        }
    }

    private async Task<ReconcileResult> RejectAsync(DemoTenant tenant, string conditionType, string reason, string message, CancellationToken ct)
    {
        var conditions = new List<V1Condition> { Conditions.Make(conditionType, false, reason, message, tenant.Metadata.Generation) };
        if (conditionType != ConditionTypes.Ready)
            conditions.Add(Conditions.Make(ConditionTypes.Ready, false, reason, message, tenant.Metadata.Generation));
        var status = CopyStatus(tenant);
        status.Phase = Phases.Failed;
        status.Conditions = conditions;
        status.ExpiresAt = TenantPlanner.ExpiresAt(tenant);
        if (await _status.WriteAsync(tenant, status, ct))
            await _events.RecordAsync(tenant, EventRecorder.Warning, reason, "Validate", message, ct);
        // A user's mistake: retrying will not fix it; the next spec change will.
        return ReconcileResult.Done;
    }

    private async Task<bool> WriteStatusAsync(DemoTenant tenant, string phase, TenantPlan plan, List<V1Condition> conditions, CancellationToken ct,
        (DateTimeOffset At, string? By)? extended = null)
    {
        var status = new DemoTenantStatus
        {
            Phase = phase,
            Namespace = plan.Namespace,
            ExpiresAt = plan.ExpiresAt,
            Conditions = conditions,
            ManagedResources = ManagedResources(tenant.Metadata.Name),
            Secrets = plan.Secrets.Select(s =>
            {
                var live = _cache.Secrets.Get(plan.Namespace, s.Name);
                return new SecretStatus { Name = s.Name, Keys = s.Keys.Select(k => k.Name).ToList(), LastRotated = SecretBuilder.GeneratedAt(live) };
            }).ToList(),
        };
        if (status.Secrets.Count == 0) status.Secrets = null;
        status.ExtendedAt = extended?.At ?? tenant.Status?.ExtendedAt;
        status.ExtendedBy = extended is { } e ? e.By : tenant.Status?.ExtendedBy;
        return await _status.WriteAsync(tenant, status, ct);
    }

    private List<ManagedResource> ManagedResources(string tenant)
    {
        IEnumerable<ManagedResource> Of<T>(Informer<T> i) where T : class, IKubernetesObject<V1ObjectMeta> =>
            i.Items.Where(o => TenantLabels.TenantOf(o.Metadata) == tenant)
                .Select(o => new ManagedResource { ApiVersion = o.ApiVersion, Kind = o.Kind, Name = o.Metadata.Name });
        return Of(_cache.Namespaces).Concat(Of(_cache.NetworkPolicies)).Concat(Of(_cache.ResourceQuotas))
            .Concat(Of(_cache.LimitRanges)).Concat(Of(_cache.ServiceAccounts)).Concat(Of(_cache.Secrets))
            .Concat(Of(_cache.Roles)).Concat(Of(_cache.RoleBindings))
            .OrderBy(r => r.Kind, StringComparer.Ordinal).ThenBy(r => r.Name, StringComparer.Ordinal).ToList();
    }

    private List<V1Condition> SuccessConditions(DemoTenant tenant, TenantPlan plan)
    {
        var foreign = ForeignAccess(tenant, plan);
        var gen = tenant.Metadata.Generation;
        var policies = NetworkPolicyBuilder.Build(plan).Select(p => p.Metadata.Name).ToList();
        var quota = _cache.ResourceQuotas.Get(plan.Namespace, QuotaBuilder.QuotaName);
        var quotaActive = quota?.Status?.Hard is { } hard && plan.Quota.Keys.All(hard.ContainsKey);
        var bindings = RbacBuilder.BuildBindings(plan).Count;
        return
        [
            Conditions.Make(ConditionTypes.NamespaceReady, true, "Provisioned",
                $"Namespace {plan.Namespace} exists with Pod Security \"restricted\".", gen),
            Conditions.Make(ConditionTypes.NetworkIsolated, true, "DenyByDefault",
                $"All traffic is denied except: {string.Join(", ", policies.Skip(1))}.", gen),
            foreign.Count > 0
                ? Conditions.Make(ConditionTypes.AccessScoped, false, "UnlistedSubjects",
                    $"Access is wider than spec.access: {string.Join("; ", foreign)}. The operator does not delete objects it does not own: remove these bindings or add the subjects to spec.access.", gen)
            : plan.Suspended
                ? Conditions.Make(ConditionTypes.AccessScoped, true, "Suspended", "The demo is suspended: nobody is bound to its roles.", gen)
                : Conditions.Make(ConditionTypes.AccessScoped, true, "RolesBound",
                    $"{plan.Access.Count} subject(s) and the {RbacBuilder.WorkloadServiceAccount} ServiceAccount are bound to namespace roles ({bindings} bindings).", gen),
            quotaActive
                ? Conditions.Make(ConditionTypes.QuotaEnforced, true, "QuotaActive",
                    $"Profile {plan.Profile.Name}: {string.Join(", ", plan.Quota.Select(kv => $"{kv.Key}={kv.Value}"))}.", gen)
                : Conditions.Make(ConditionTypes.QuotaEnforced, false, "QuotaPending",
                    "The ResourceQuota is written; waiting for the quota controller to start enforcing it.", gen),
            Conditions.Make(ConditionTypes.SecretsProvisioned, true, "Generated",
                plan.Secrets.Count == 0 ? "No secrets requested." : $"{plan.Secrets.Count} secret(s) generated for this tenant: {string.Join(", ", plan.Secrets.Select(s => s.Name))}.", gen),
        ];
    }

    /// <summary>RoleBindings in the tenant's namespace, not made by the operator, that bind someone not in spec.access.</summary>
    private List<string> ForeignAccess(DemoTenant tenant, TenantPlan plan)
    {
        var spec = tenant.Spec.Access ?? [];
        return _cache.RoleBindings.Items
            .Where(b => b.Metadata.NamespaceProperty == plan.Namespace && TenantLabels.TenantOf(b.Metadata) != tenant.Metadata.Name)
            .SelectMany(b => (b.Subjects ?? []).Where(s => !spec.Any(a => a.Kind == s.Kind && a.Name == s.Name))
                .Select(s => $"RoleBinding {b.Metadata.Name} binds {s.Kind} {s.Name}"))
            .Order(StringComparer.Ordinal).ToList();
    }

    private async Task RecordChangesAsync(DemoTenant tenant, TenantPlan plan, IReadOnlyList<ApplyOutcome> outcomes, IReadOnlySet<string> rotated, CancellationToken ct)
    {
        var changes = outcomes.Where(o => o.Action != ApplyAction.Unchanged).ToList();
        if (changes.Count == 0) return;
        // Scheduled rotations are the operator's own doing, not drift: say which secret, never its values.
        foreach (var o in changes.Where(c => c is { Action: ApplyAction.Updated, Kind: "Secret" } && rotated.Contains(c.Name)).ToList())
        {
            await _events.RecordAsync(tenant, EventRecorder.Normal, "SecretRotated", "Rotate", $"Secret {o.Name}: all values regenerated on schedule.", ct);
            changes.Remove(o);
        }
        // Bindings removed because their own deadline passed: the rest of the tenant stays.
        var expiredBindings = plan.ExpiredAccess.ToDictionary(RbacBuilder.BindingName);
        foreach (var o in changes.Where(c => c is { Action: ApplyAction.Deleted, Kind: "RoleBinding" } && expiredBindings.ContainsKey(c.Name)).ToList())
        {
            var a = expiredBindings[o.Name];
            await _events.RecordAsync(tenant, EventRecorder.Normal, "AccessExpired", "Revoke", $"Access of {a.Kind} {a.Name} ({a.Role}) ended at {a.ExpiresAt:u}.", ct);
            changes.Remove(o);
        }
        if (changes.Count == 0) return;
        foreach (var o in changes) _log.LogInformation("DemoTenant {Tenant}: {Change}", tenant.Metadata.Name, o.ToString());

        // Spec unchanged since the last good reconcile, yet objects differ: someone else changed them.
        var specUnchanged = tenant.Status?.ObservedGeneration == tenant.Metadata.Generation &&
                            tenant.Status?.Phase is Phases.Ready or Phases.Expiring or Phases.Suspended or Phases.Degraded;
        if (specUnchanged)
        {
            foreach (var o in changes)
            {
                OperatorMetrics.DriftCorrections.WithLabels(o.Kind).Inc();
                var what = o.Action == ApplyAction.Updated ? $"fields changed by someone else were restored: {string.Join(", ", o.ChangedFields)}" : o.Action == ApplyAction.Created ? "it was missing and was recreated" : "it was not in the spec and was removed";
                await _events.RecordAsync(tenant, EventRecorder.Warning, "DriftCorrected", "Repair", $"{o.Kind} {o.Name}: {what}.", ct);
            }
            return;
        }
        var first = tenant.Status?.Phase is null or Phases.Pending or Phases.Failed && changes.Any(c => c is { Kind: "Namespace", Action: ApplyAction.Created });
        await _events.RecordAsync(tenant, EventRecorder.Normal, first ? "Provisioned" : "Updated", first ? "Create" : "Update",
            string.Join("; ", changes.Select(c => c.ToString())), ct);
    }

    private async Task<List<ApplyOutcome>> ApplyAllAsync(IReadOnlyList<IKubernetesObject<V1ObjectMeta>> desired, CancellationToken ct)
    {
        var outcomes = new List<ApplyOutcome>();
        foreach (var o in desired)
        {
            outcomes.Add(o switch
            {
                V1Namespace x => await _applier.ApplyAsync(OwnedKinds.Namespaces, _cache.Namespaces, x, ct),
                V1NetworkPolicy x => await _applier.ApplyAsync(OwnedKinds.NetworkPolicies, _cache.NetworkPolicies, x, ct),
                V1ResourceQuota x => await _applier.ApplyAsync(OwnedKinds.ResourceQuotas, _cache.ResourceQuotas, x, ct),
                V1LimitRange x => await _applier.ApplyAsync(OwnedKinds.LimitRanges, _cache.LimitRanges, x, ct),
                V1ServiceAccount x => await _applier.ApplyAsync(OwnedKinds.ServiceAccounts, _cache.ServiceAccounts, x, ct),
                V1Secret x => await _applier.ApplyAsync(OwnedKinds.Secrets, _cache.Secrets, x, ct),
                V1Role x => await _applier.ApplyAsync(OwnedKinds.Roles, _cache.Roles, x, ct),
                V1RoleBinding x => await _applier.ApplyAsync(OwnedKinds.RoleBindings, _cache.RoleBindings, x, ct),
                _ => throw new InvalidOperationException($"no applier for {o.Kind}"),
            });
        }
        return outcomes;
    }

    /// <summary>Objects carrying this tenant's label that the spec no longer asks for. Access goes first.</summary>
    private async Task<List<ApplyOutcome>> PruneAsync(string tenant, IReadOnlyList<IKubernetesObject<V1ObjectMeta>> desired, CancellationToken ct)
    {
        var keep = desired.Select(d => (d.Kind, d.Metadata.NamespaceProperty, d.Metadata.Name)).ToHashSet();
        var outcomes = new List<ApplyOutcome>();
        async Task Prune<T>(OwnedKind<T> kind, Informer<T> cache) where T : class, IKubernetesObject<V1ObjectMeta>
        {
            foreach (var o in cache.Items.Where(o => TenantLabels.TenantOf(o.Metadata) == tenant &&
                                                     !keep.Contains((kind.Kind, o.Metadata.NamespaceProperty, o.Metadata.Name))).ToList())
                outcomes.Add(await _applier.DeleteAsync(kind, cache, o, ct));
        }
        await Prune(OwnedKinds.RoleBindings, _cache.RoleBindings);
        await Prune(OwnedKinds.Roles, _cache.Roles);
        await Prune(OwnedKinds.NetworkPolicies, _cache.NetworkPolicies);
        await Prune(OwnedKinds.ResourceQuotas, _cache.ResourceQuotas);
        await Prune(OwnedKinds.LimitRanges, _cache.LimitRanges);
        await Prune(OwnedKinds.ServiceAccounts, _cache.ServiceAccounts);
        await Prune(OwnedKinds.Secrets, _cache.Secrets);
        return outcomes;
    }

    /// <summary>The generated secrets as they are. A cache miss is confirmed with a read before anything is generated.</summary>
    private async Task<Dictionary<string, V1Secret>> ExistingSecretsAsync(TenantPlan plan, bool namespaceExists, CancellationToken ct)
    {
        var found = new Dictionary<string, V1Secret>();
        foreach (var s in plan.Secrets)
        {
            var live = _cache.Secrets.Get(plan.Namespace, s.Name);
            if (live is null && namespaceExists)
            {
                try { live = await OwnedKinds.Secrets.Read(_client, s.Name, plan.Namespace, ct); }
                catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound) { }
            }
            if (live is not null) found[s.Name] = live;
        }
        return found;
    }

    private static bool RotationDue(SecretPlan s, V1Secret? live, DateTimeOffset now) =>
        live is not null && SecretBuilder.NextRotation(s, live) is { } next && next <= now;

    private static IEnumerable<DateTimeOffset?> SecretRotations(TenantPlan plan, Dictionary<string, V1Secret> secrets) =>
        plan.Secrets.Select(s => SecretBuilder.NextRotation(s, secrets.GetValueOrDefault(s.Name)));

    /// <summary>Revokes access: every RoleBinding the operator made for this tenant.</summary>
    private async Task<int> DeleteBindingsAsync(string tenant, CancellationToken ct)
    {
        var bindings = _cache.RoleBindings.Items.Where(b => TenantLabels.TenantOf(b.Metadata) == tenant).ToList();
        foreach (var binding in bindings)
            await _applier.DeleteAsync(OwnedKinds.RoleBindings, _cache.RoleBindings, binding, ct);
        return bindings.Count;
    }

    /// <summary>The namespace, only if it is labelled as this tenant's: never act on one that is not.</summary>
    private async Task<V1Namespace?> OwnNamespaceAsync(string nsName, string tenant, CancellationToken ct) =>
        await ReadNamespaceAsync(nsName, ct) is { } ns && TenantLabels.TenantOf(ns.Metadata) == tenant ? ns : null;

    private async Task<V1Namespace?> ReadNamespaceAsync(string name, CancellationToken ct)
    {
        if (_cache.Namespaces.Get(null, name) is { } cached) return cached;
        // Not one of ours (or not there): the label-selected cache cannot tell which, so ask once.
        try { return await OwnedKinds.Namespaces.Read(_client, name, null, ct); }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound) { return null; }
    }

    private static DemoTenantStatus CopyStatus(DemoTenant t) =>
        KubernetesJson.Deserialize<DemoTenantStatus>(KubernetesJson.Serialize(t.Status ?? new DemoTenantStatus()));

    private static string ApiMessage(HttpOperationException e)
    {
        try { return KubernetesJson.Deserialize<V1Status>(e.Response.Content).Message ?? e.Message; }
        catch (Exception) { return e.Message; }
    }
}
