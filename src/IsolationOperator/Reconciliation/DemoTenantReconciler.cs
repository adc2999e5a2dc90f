using IsolationOperator.Api.V1Alpha1;
using IsolationOperator.Audit;
using IsolationOperator.Desired;
using IsolationOperator.Engine;
using IsolationOperator.Verification;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace IsolationOperator.Reconciliation;

/// <summary>Settings the reconciler takes from the operator's configuration.</summary>
/// <param name="RequestersFromAnnotations">
/// The admission webhook is on, so the requested-by / last-changed-by annotations are its own (users cannot set
/// them): copy them into status and name the person in events. Off, they could be anyone's, and are ignored.
/// </param>
/// <param name="RequirePodSecurity">Bind nobody (Degraded) in a namespace where a privileged pod is not refused.</param>
/// <param name="PodSecurityCheckPeriod">How often each namespace's Pod Security is probed again.</param>
/// <param name="SecretReadPeriod">How long a Secret read or written is trusted before it is read again.</param>
/// <param name="VerificationPeriod">How often each demo's isolation is verified again; zero turns verification off.</param>
public sealed record ReconcilerSettings(TimeSpan ExpiringWindow, TimeSpan MaxClockSkew, PlannerPolicy Policy, bool RequestersFromAnnotations = false,
    bool RequirePodSecurity = false, TimeSpan? PodSecurityCheckPeriod = null, TimeSpan? SecretReadPeriod = null, TimeSpan? VerificationPeriod = null);

/// <summary>
/// Level-based: given a tenant's name, observe the world (caches, spec, status, clock), let the state machine pick
/// the transition, run its steps in order, and write status once. User mistakes become a Failed status with a
/// readable message; API errors are thrown so the queue retries with backoff. Irreversible steps are recorded in
/// status before they are taken, so a crash at any point resumes where it stopped and never undoes a decision.
/// </summary>
public sealed class DemoTenantReconciler
{
    private readonly ClusterCache _cache;
    private readonly ReconcilerSettings _settings;
    private readonly TimeProvider _time;
    private readonly ServerClock _clock;
    private readonly Finalizers _finalizers;
    private readonly AccessRevocation _access;
    private readonly TenantNamespaces _namespaces;
    private readonly TenantProvisioner _provisioner;
    private readonly WorkloadSuspension _workloads;
    private readonly TenantStatusSteps _status;
    private readonly ResourceApplier _applier;
    private readonly PodSecurityProbe _podSecurity;
    private readonly TenantVerification _verification;

    private readonly AuditTrail? _audit;

    public DemoTenantReconciler(IKubernetes client, ClusterCache cache, EventRecorder events, TimeProvider time, ReconcilerSettings settings, ILogger<DemoTenantReconciler> log,
        AuditTrail? audit = null)
    {
        _audit = audit;
        _cache = cache;
        _settings = settings;
        _time = time;
        _clock = new ServerClock(client, time);
        _applier = new ResourceApplier(client, new DriftGuard(time));
        var status = new StatusWriter(client, cache.Tenants, time, settings.RequestersFromAnnotations, audit);
        _finalizers = new Finalizers(client, cache.Tenants, log);
        _access = new AccessRevocation(cache, _applier);
        _namespaces = new TenantNamespaces(client, cache.Namespaces, _applier);
        _podSecurity = new PodSecurityProbe(client, time, settings.PodSecurityCheckPeriod ?? TimeSpan.FromHours(1));
        _provisioner = new TenantProvisioner(cache, _applier, _namespaces, new GeneratedSecrets(client, cache.Secrets, status, time, settings.SecretReadPeriod ?? TimeSpan.FromMinutes(10)), _podSecurity, settings.RequirePodSecurity);
        _workloads = new WorkloadSuspension(client);
        _verification = new TenantVerification(new IsolationVerifier(client, time), cache, events, settings.VerificationPeriod ?? TimeSpan.FromHours(1), settings.Policy);
        _status = new TenantStatusSteps(status, events, new TenantConditions(cache, _applier), new ChangeEvents(events, log), settings, _verification);
    }

    public async Task<ReconcileResult> ReconcileAsync(string name, CancellationToken ct)
    {
        var tenant = _cache.Tenants.Get(null, name);
        if (tenant is null) return ReconcileResult.Done;
        var deleting = tenant.Metadata.DeletionTimestamp is not null;
        if (deleting && !Finalizers.Has(tenant)) return ReconcileResult.Done;
        if (!deleting) tenant = await _finalizers.EnsureAsync(tenant, ct);

        var pass = await ObserveAsync(tenant, deleting, ct);
        var transition = TenantLifecycle.Next(pass.StartPhase, pass.Event);
        try
        {
            foreach (var step in transition.Steps) await RunAsync(step, pass, ct);
        }
        catch (NamespaceTakenException)
        {
            return await _status.FailedAsync(pass, TenantLifecycle.Next(pass.StartPhase, TenantEvent.NamespaceTaken), ct);
        }
        catch (Exception e) when (ApiErrors.IsRefused(e))
        {
            await _status.ApplyRejectedAsync(pass, ApiErrors.Message(e), ct);
            throw;
        }
        return await FinishAsync(transition, pass, ct);
    }

    private async Task<ReconcilePass> ObserveAsync(DemoTenant tenant, bool deleting, CancellationToken ct)
    {
        var now = _time.GetUtcNow();
        var planned = TenantPlanner.Plan(tenant, now, _settings.Policy);
        var plan = planned.Plan is { } p ? p with { TenantUid = tenant.Metadata.Uid } : null;
        var ns = !string.IsNullOrEmpty(tenant.Status?.Namespace) ? tenant.Status.Namespace
            : plan?.Namespace ?? TenantPlanner.NamespaceFor(tenant, _settings.Policy);
        var expiry = Lifecycle.EffectiveExpiry(tenant, plan);
        var phase = tenant.Status?.ExpiredAt is not null ? Phases.Expired : tenant.Status?.Phase;
        var passed = expiry is { } at && at <= now;
        string? clockMessage = null;
        if (passed && !deleting && phase != Phases.Expired) clockMessage = await ClockDisagreementAsync(ct);
        var facts = new LifecycleFacts
        {
            Deleting = deleting,
            DeadlinePassed = passed,
            ClockTrusted = clockMessage is null,
            SpecValid = plan is not null,
            NamespaceForeign = plan is not null && _namespaces.KnownForeign(plan.Namespace, tenant),
            SuspendRequested = plan?.Suspended == true,
            SuspensionRecorded = tenant.Status?.Suspension is not null,
            InWarningWindow = Lifecycle.InWarningWindow(expiry, now, _settings.ExpiringWindow),
        };
        return new ReconcilePass
        {
            Tenant = tenant, Plan = plan, Problems = planned.Problems, Namespace = ns, Now = now, ExpiresAt = expiry,
            Facts = facts, Event = TenantLifecycle.EventFor(facts), StartPhase = phase, ClockMessage = clockMessage,
            SpecSettledAtStart = ChangeEvents.SpecSettled(tenant),
        };
    }

    private async Task RunAsync(LifecycleStep step, ReconcilePass pass, CancellationToken ct)
    {
        var t = pass.Tenant;
        var owned = _namespaces.Owned(pass.Namespace, t);
        switch (step)
        {
            case LifecycleStep.RevokeStaleAccess when owned is not null:
                pass.Revoked.AddRange(await _access.RevokeAsync(t.Metadata.Name, pass.Namespace, AccessRevocation.Allowed(t, pass.Plan, pass.Now, _settings.Policy), ct));
                await _status.RevokedAsync(pass, ct);
                break;
            case LifecycleStep.RecordExpiry:
                await _status.RecordExpiryAsync(pass, ct);
                break;
            case LifecycleStep.RevokeAllAccess when owned is not null:
                await _access.RevokeAllAsync(t.Metadata.Name, pass.Namespace, ct);
                break;
            case LifecycleStep.DeleteNamespace when owned is { Metadata.DeletionTimestamp: null }:
                await _namespaces.DeleteAsync(owned, ct);
                _podSecurity.Forget(pass.Namespace);
                break;
            case LifecycleStep.RecordSuspension when owned is not null && t.Status?.Suspension?.Stopped != true:
                if (pass.Plan is { } p) await _provisioner.EnsureOperatorAccessAsync(p, ct);
                await _status.RecordSuspensionAsync(pass, await _workloads.RunningAsync(pass.Namespace, ct), ct);
                break;
            case LifecycleStep.StopWorkloads when owned is not null && pass.Tenant.Status?.Suspension is { Stopped: not true } s:
                if (pass.Plan is { } plan) await _provisioner.EnsureOperatorAccessAsync(plan, ct);
                pass.Stopped = await _workloads.StopAsync(pass.Namespace, s.Workloads ?? [], ct);
                break;
            case LifecycleStep.ApplyDesired:
                var result = await _provisioner.ApplyAsync(pass.Tenant, pass.Plan!, pass.Now, ct);
                pass.Tenant = result.Tenant;
                pass.Outcomes.AddRange(result.Outcomes);
                pass.Secrets = result.Secrets;
                pass.NamespaceTerminating = result.NamespaceTerminating;
                pass.PodSecurity = result.PodSecurity;
                pass.AccessWithheld = result.AccessWithheld;
                break;
            case LifecycleStep.RestoreWorkloads when owned is not null && !pass.NamespaceTerminating:
                pass.Restored = await _workloads.RestoreAsync(pass.Namespace, t.Status?.Suspension?.Workloads ?? [], ct);
                break;
        }
    }

    private async Task<ReconcileResult> FinishAsync(Transition transition, ReconcilePass pass, CancellationToken ct)
    {
        switch (transition.Phase)
        {
            case Phases.Terminating:
                if (_namespaces.Owned(pass.Namespace, pass.Tenant) is not null) return await _status.TerminatingAsync(pass, ct);
                // The trail's last record before the DemoTenant goes (it stays, past the DemoTenant, for the retention period).
                if (_audit is not null) await _audit.RecordAsync(pass.Tenant, StatusWriter.Copy(pass.Tenant), [], _settings.RequestersFromAnnotations, ct, pass.Now);
                // The commit step: must not be cut short by shutdown once started.
                await _finalizers.RemoveAsync(pass.Tenant, CancellationToken.None);
                _verification.Forget(pass.Tenant.Metadata.Name);
                return ReconcileResult.Done;
            case Phases.Expired:
                return await _status.ExpiredAsync(pass, ct);
            case Phases.Failed:
                return await _status.FailedAsync(pass, transition, ct);
        }
        if (pass.Event == TenantEvent.ClockUntrusted) return await _status.ClockUntrustedAsync(pass, ct);
        return await _status.ProvisionedAsync(pass, transition, ct);
    }

    /// <summary>Null when the local clock agrees with the API server's; else a message saying by how much it does not.</summary>
    private async Task<string?> ClockDisagreementAsync(CancellationToken ct)
    {
        var offset = await _clock.OffsetAsync(ct);
        if (offset is null) return "The API server sent no Date header, so this node's clock cannot be checked; expiry is held.";
        if (offset.Value.Duration() <= _settings.MaxClockSkew) return null;
        return $"This node's clock differs from the API server's by {offset.Value.TotalSeconds:0}s (more than {_settings.MaxClockSkew.TotalSeconds:0}s allowed): " +
               "the demo looks expired here, but nothing irreversible is done until the clocks agree.";
    }
}
