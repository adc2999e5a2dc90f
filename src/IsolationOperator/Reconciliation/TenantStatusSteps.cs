using IsolationOperator.Api.V1Alpha1;
using IsolationOperator.Desired;
using IsolationOperator.Engine;
using k8s.Models;

namespace IsolationOperator.Reconciliation;

/// <summary>
/// Every status a pass can end in, and the events that go with it: one status write per exit path (plus the intent
/// records written before irreversible steps), one condition reason per exit, an event only when a write happened.
/// Each write starts from a copy of the current status, so nothing recorded earlier is dropped.
/// </summary>
public sealed class TenantStatusSteps(StatusWriter writer, EventRecorder events, TenantConditions conditions, ChangeEvents changes, ReconcilerSettings settings,
    TenantVerification verification)
{
    private static readonly TimeSpan Poll = TimeSpan.FromSeconds(2);

    public async Task RecordExpiryAsync(ReconcilePass pass, CancellationToken ct)
    {
        var t = pass.Tenant;
        var s = StatusWriter.Copy(t);
        var at = s.ExpiredAt ?? pass.Now;
        s.Phase = Phases.Expired;
        s.ExpiredAt = at;
        s.ExpiresAt = pass.ExpiresAt ?? s.ExpiresAt;
        s.Suspension = null;
        s.Guests = null;
        s.Conditions = ExpiredConditions(pass, at);
        pass.Tenant = await writer.WriteAsync(t, s, ct) ?? t;
        pass.ExpiryRecorded = true;
        events.Record(pass.Tenant, EventRecorder.Warning, "Expired", "Expire",
            $"Demo expired at {at:u}: revoking every RoleBinding and the ServiceAccount, then deleting namespace {pass.Namespace}.");
    }

    public async Task<ReconcileResult> ExpiredAsync(ReconcilePass pass, CancellationToken ct)
    {
        var s = StatusWriter.Copy(pass.Tenant);
        s.Phase = Phases.Expired;
        s.ExpiredAt ??= pass.Now;
        s.Guests = null;
        s.Conditions = ExpiredConditions(pass, s.ExpiredAt.Value);
        s.ManagedResources = conditions.ManagedResources(pass.Tenant.Metadata.Name, pass.Namespace);
        await writer.WriteAsync(pass.Tenant, s, ct);
        return ReconcileResult.Done;
    }

    public async Task<ReconcileResult> TerminatingAsync(ReconcilePass pass, CancellationToken ct)
    {
        var s = StatusWriter.Copy(pass.Tenant);
        s.Phase = Phases.Terminating;
        s.Guests = null;
        s.Conditions = [Conditions.Make(ConditionTypes.Ready, false, "Deleting",
            $"Access revoked; waiting for namespace {pass.Namespace} to be removed.", pass.Tenant.Metadata.Generation)];
        if (await writer.WriteAsync(pass.Tenant, s, ct) is not null && pass.StartPhase != Phases.Terminating)
            events.Record(pass.Tenant, EventRecorder.Normal, "Deleting", "Delete", $"Access revoked; deleting namespace {pass.Namespace}.");
        return ReconcileResult.After(Poll);
    }

    /// <summary>A rejected spec or a namespace that is someone else's: the last good state stays, expiry keeps counting.</summary>
    public async Task<ReconcileResult> FailedAsync(ReconcilePass pass, Transition transition, CancellationToken ct)
    {
        var t = pass.Tenant;
        var gen = t.Metadata.Generation;
        var (type, reason, message) = pass.Event == TenantEvent.SpecRejected
            ? (ConditionTypes.Ready, "InvalidSpec", NamespaceOwnership.SpecRejected(pass.Problems) +
               (string.IsNullOrEmpty(t.Status?.Namespace) ? ". Nothing was created."
                   : ". Nothing new was created; access the spec no longer grants was removed, and the demo still expires at its last valid deadline."))
            : (ConditionTypes.NamespaceReady, "NamespaceNotOwned", NamespaceOwnership.NotOwnedMessage(pass.Plan?.Namespace));
        var s = StatusWriter.Copy(t);
        s.Phase = transition.Phase;
        var kept = (s.Conditions ?? []).Where(c => c.Type != ConditionTypes.Ready && c.Type != type).ToList();
        kept.Add(Conditions.Make(type, false, reason, message, gen));
        if (type != ConditionTypes.Ready) kept.Add(Conditions.Make(ConditionTypes.Ready, false, reason, message, gen));
        s.Conditions = kept;
        s.Guests = GuestsStillListed(t, pass.Now);
        // status.expiresAt stays the last valid deadline: a rejected spec never moves it.
        if (await writer.WriteAsync(t, s, ct) is not null && pass.StartPhase != Phases.Failed)
            events.Record(t, EventRecorder.Warning, reason, "Validate", message);
        return ReconcileResult.Earliest(pass.Now, Lifecycle.Deadlines(pass.ExpiresAt, [], settings.ExpiringWindow, pass.Now)
            .Concat((t.Spec.Access ?? []).Select(a => a.ExpiresAt)));
    }

    public async Task<ReconcileResult> ClockUntrustedAsync(ReconcilePass pass, CancellationToken ct)
    {
        var s = StatusWriter.Copy(pass.Tenant);
        s.Conditions = (s.Conditions ?? []).Where(c => c.Type != ConditionTypes.ClockInSync)
            .Append(Conditions.Make(ConditionTypes.ClockInSync, false, "ClockSkew", pass.ClockMessage!, pass.Tenant.Metadata.Generation)).ToList();
        if (await writer.WriteAsync(pass.Tenant, s, ct) is not null)
            events.Record(pass.Tenant, EventRecorder.Warning, "ClockSkew", "Expire", pass.ClockMessage!);
        return ReconcileResult.After(TimeSpan.FromSeconds(30));
    }

    public async Task ApplyRejectedAsync(ReconcilePass pass, string apiMessage, CancellationToken ct)
    {
        var s = StatusWriter.Copy(pass.Tenant);
        s.Phase = Phases.Degraded;
        s.Conditions = (s.Conditions ?? []).Where(c => c.Type != ConditionTypes.Ready)
            .Append(Conditions.Make(ConditionTypes.Ready, false, "ApplyRejected",
                $"The API server refused a change: {apiMessage}. Access removals were made first; retrying the rest with backoff.", pass.Tenant.Metadata.Generation)).ToList();
        if (await writer.WriteAsync(pass.Tenant, s, ct) is { } written) pass.Tenant = written;
    }

    public async Task RevokedAsync(ReconcilePass pass, CancellationToken ct) => await changes.RevokedAsync(pass.Tenant, pass.Revoked, pass.Now, ct);

    /// <summary>Intent before scaling down: the counts to restore, recorded where tenants cannot write.</summary>
    public async Task RecordSuspensionAsync(ReconcilePass pass, IReadOnlyList<SuspendedWorkload> running, CancellationToken ct)
    {
        var existing = pass.Tenant.Status?.Suspension;
        var known = existing?.Workloads ?? [];
        var added = running.Where(r => !known.Any(k => k.Kind == r.Kind && k.Name == r.Name)).ToList();
        if (existing is not null && added.Count == 0) return;
        var s = StatusWriter.Copy(pass.Tenant);
        s.Suspension = new SuspensionStatus { Since = existing?.Since ?? pass.Now, Workloads = [.. known, .. added], Stopped = false };
        pass.Tenant = await writer.WriteAsync(pass.Tenant, s, ct) ?? pass.Tenant;
        pass.SuspensionStarted |= existing is null;
    }

    public async Task<ReconcileResult> ProvisionedAsync(ReconcilePass pass, Transition transition, CancellationToken ct)
    {
        var t = pass.Tenant;
        var plan = pass.Plan!;
        var gen = t.Metadata.Generation;
        if (pass.NamespaceTerminating)
        {
            var waiting = StatusWriter.Copy(t);
            waiting.Phase = Phases.Provisioning;
            waiting.Conditions = [Conditions.Make(ConditionTypes.NamespaceReady, false, "NamespaceTerminating",
                $"Waiting for the previous namespace \"{plan.Namespace}\" to finish deleting.", gen)];
            await writer.WriteAsync(t, waiting, ct);
            return ReconcileResult.After(Poll);
        }

        var heldOff = pass.Outcomes.Where(o => o.Action == ApplyAction.HeldOff).ToList();
        var list = conditions.Provisioned(t, plan, pass.Secrets?.NotOwned ?? [], heldOff, pass.PodSecurity, pass.AccessWithheld);
        var quotaPending = list.Any(c => c is { Type: ConditionTypes.QuotaEnforced, Status: "False" });
        // Pod Security decides readiness only where the platform requires it (Operator__RequirePodSecurity).
        var notReady = list.Where(c => c.Status != "True" && (c.Type != ConditionTypes.PodSecurityEnforced || settings.RequirePodSecurity)).ToList();
        var securityUnknown = settings.RequirePodSecurity && pass.PodSecurity is { Enforced: null };
        // Verified after anything was written (so a drift repair re-verifies), on a spec change and on its schedule.
        // Only once settled: bindings just written may not yet be in the API server's authorizer.
        var (verified, verificationStatus, verifyDue) = notReady.Count == 0 && !quotaPending
            ? await verification.RunAsync(pass, pass.Outcomes.Any(o => o.Action is not ApplyAction.Unchanged), ct)
            : verification.Previous(pass);
        var phase = TenantLifecycle.Settle(transition.Phase, notReady.Count == 0, quotaPending);
        list.Add(Conditions.Make(ConditionTypes.Ready, notReady.Count == 0, notReady.Count == 0 ? "Provisioned" : notReady[0].Reason,
            notReady.Count == 0 ? $"Namespace {plan.Namespace} is isolated and ready for {t.Spec.Prospect}." : string.Join(" ", notReady.Select(c => c.Message)), gen));
        list.Add(TenantConditions.Expiring(t, plan.ExpiresAt, pass.Facts.InWarningWindow));
        // Reported beside Ready, not inside it: a path someone else opened is theirs to close (the event says so).
        if (verified is not null) list.Add(verified);

        var before = t.Status;
        var extended = Lifecycle.WasExtended(t, plan) && before?.Phase is not (null or Phases.Failed);
        var extendedBy = extended ? Changer(t) : null;
        var s = StatusWriter.Copy(t);
        s.Phase = phase;
        s.Namespace = plan.Namespace;
        s.ExpiresAt = plan.ExpiresAt;
        s.Conditions = list;
        s.ManagedResources = conditions.ManagedResources(t.Metadata.Name, plan.Namespace);
        s.Secrets = pass.Secrets?.Status is { Count: > 0 } secrets ? secrets.ToList() : null;
        s.Guests = GuestStatuses(plan, pass.AccessWithheld);
        if (extended) (s.ExtendedAt, s.ExtendedBy) = (pass.Now, extendedBy);
        s.Verification = verificationStatus;
        var resumed = pass.Event == TenantEvent.ResumeRequested && pass.Restored >= 0;
        if (resumed) s.Suspension = null;
        else if (transition.Phase == Phases.Suspended && s.Suspension is not null) s.Suspension.Stopped = true;

        var written = await writer.WriteAsync(t, s, ct, ChangeEvents.DriftEntries(pass.Outcomes, pass.Secrets?.Rotated ?? [], pass.SpecSettledAtStart));
        await changes.RecordAsync(t, plan, pass.Outcomes, pass.Secrets?.Rotated ?? [], pass.SpecSettledAtStart, ct);
        if (pass.SuspensionStarted)
            events.Record(t, EventRecorder.Normal, "Suspended", "Suspend", $"Access removed and {pass.Stopped} workload(s) or pod(s) stopped; no pod may start while suspended. Data and secrets kept.");
        if (written is not null && resumed && before?.Suspension is not null)
            events.Record(t, EventRecorder.Normal, "Resumed", "Resume", $"Access restored and {pass.Restored} workload(s) scaled back to their recorded replicas.");
        if (written is not null && extended)
            events.Record(t, EventRecorder.Normal, "Extended", "Extend", $"Expiry moved from {before!.ExpiresAt:u} to {plan.ExpiresAt:u} by {extendedBy ?? "unknown"}.");
        if (written is not null && phase == Phases.Expiring && before?.Phase != Phases.Expiring)
            events.Record(t, EventRecorder.Warning, "ExpiringSoon", "Warn", $"The demo for {t.Spec.Prospect} expires at {plan.ExpiresAt:u}.");
        if (written is not null && phase == Phases.Degraded && before?.Phase != Phases.Degraded)
            events.Record(t, EventRecorder.Warning, notReady[0].Reason, "Check", notReady[0].Message);

        if (quotaPending) return ReconcileResult.After(Poll);
        if (securityUnknown) return ReconcileResult.After(TimeSpan.FromMinutes(1));
        return ReconcileResult.Earliest(pass.Now, Lifecycle.Deadlines(plan.ExpiresAt, plan.AllAccess, settings.ExpiringWindow, pass.Now)
            .Concat(pass.Secrets?.NextRotations ?? []).Concat(heldOff.Select(o => o.RetryAt)).Append(verifyDue));
    }

    /// <summary>status.guests: the guests whose accounts exist now (none while access is withheld or suspended).</summary>
    private static List<GuestStatus>? GuestStatuses(TenantPlan plan, bool withheld) =>
        withheld || plan.Guests.Count == 0 ? null : plan.Guests.Select(g => new GuestStatus
        {
            Name = g.Name,
            ServiceAccount = g.ServiceAccount,
            Role = g.Role,
            ExpiresAt = g.EndsAt,
            TokenMaxSeconds = (long)plan.GuestTokenMaxLifetime.TotalSeconds,
        }).ToList();

    /// <summary>A rejected spec adds no guest; one it no longer lists, or whose entry ended, is dropped (<see cref="Guests.StillListed"/>).</summary>
    private static List<GuestStatus>? GuestsStillListed(DemoTenant t, DateTimeOffset now) =>
        Guests.StillListed(t, now).Select(g => g.Recorded).ToList() is { Count: > 0 } kept ? kept : null;

    private static List<V1Condition> ExpiredConditions(ReconcilePass pass, DateTimeOffset at)
    {
        var gen = pass.Tenant.Metadata.Generation;
        var revived = pass.Plan?.ExpiresAt is { } later && later > pass.Now
            ? " Moving expiresAt or ttl later does not revive an expired demo: create a new DemoTenant." : "";
        return
        [
            Conditions.Make(ConditionTypes.Ready, false, "Expired", $"The demo expired at {at:u}; access is revoked and namespace {pass.Namespace} deleted.{revived}", gen),
            Conditions.Make(ConditionTypes.Expiring, true, "Expired", $"Expired at {at:u}.", gen),
            Conditions.Make(ConditionTypes.AccessScoped, false, "AccessRevoked", "Every RoleBinding of the demo and its ServiceAccount are removed.", gen),
            Conditions.Make(ConditionTypes.NamespaceReady, false, "NamespaceDeleted", $"Namespace {pass.Namespace} is deleted with everything in it.", gen),
        ];
    }

    /// <summary>
    /// Who changed the spec: the person the admission webhook recorded (last-changed-by) when the webhook is on, else
    /// the field manager that last wrote the spec (kubectl-edit, a pipeline's name).
    /// </summary>
    private string? Changer(DemoTenant t) =>
        (settings.RequestersFromAnnotations ? Admission.RequesterAnnotations.Of(t.Metadata, Admission.RequesterAnnotations.LastChangedBy)?.User : null)
        ?? LastSpecManager(t);

    /// <summary>The field manager that last wrote the spec (kubectl, a pipeline): who extended the demo.</summary>
    private static string? LastSpecManager(DemoTenant t) =>
        t.Metadata.ManagedFields?.Where(m => m.Manager != OperatorIdentity.FieldManager && m.Subresource is null or "")
            .OrderByDescending(m => m.Time).FirstOrDefault()?.Manager;
}
