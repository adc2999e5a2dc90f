using IsolationOperator.Api.V1Alpha1;
using IsolationOperator.Desired;
using IsolationOperator.Engine;
using Microsoft.Extensions.Logging;

namespace IsolationOperator.Reconciliation;

/// <summary>Turns what a pass wrote into events: provisioning, updates, rotations, expired access, and drift.</summary>
public sealed class ChangeEvents(EventRecorder events, ILogger log)
{
    /// <summary>The spec unchanged since the last good reconcile: objects that differ now were changed by someone else.</summary>
    public static bool SpecSettled(DemoTenant tenant) =>
        tenant.Status?.ObservedGeneration == tenant.Metadata.Generation &&
        tenant.Status?.Phase is Phases.Ready or Phases.Expiring or Phases.Suspended or Phases.Degraded;

    /// <param name="specSettled">As the pass found the tenant when it started (<see cref="SpecSettled"/>).</param>
    public async Task RecordAsync(DemoTenant tenant, TenantPlan plan, IReadOnlyList<ApplyOutcome> outcomes, IReadOnlyCollection<string> rotated, bool specSettled, CancellationToken ct)
    {
        var changes = outcomes.Where(o => o.Action is not (ApplyAction.Unchanged or ApplyAction.HeldOff)).ToList();
        if (changes.Count == 0) return;
        // Objects written by another operator version: the upgrade's own changes, not someone else's drift.
        var upgraded = changes.Where(c => c.ByUpgrade).ToList();
        if (upgraded.Count > 0)
        {
            events.Record(tenant, EventRecorder.Normal, "Upgraded", "Update",
                $"Rewritten by operator {Hosting.BuildInfo.Version}: {string.Join("; ", upgraded.Select(c => c.ToString()))}");
            changes.RemoveAll(c => c.ByUpgrade);
        }
        if (changes.Count == 0) return;
        // Scheduled rotations are the operator's own doing, not drift: say which secret, never its values.
        foreach (var o in changes.Where(c => c is { Action: ApplyAction.Updated, Kind: "Secret" } && rotated.Contains(c.Name)).ToList())
        {
            events.Record(tenant, EventRecorder.Normal, "SecretRotated", "Rotate", $"Secret {o.Name}: all values regenerated on schedule.");
            changes.Remove(o);
        }
        if (changes.Count == 0) return;
        foreach (var o in changes) log.LogInformation("DemoTenant {Tenant}: {Change}", tenant.Metadata.Name, o.ToString());

        // Spec unchanged since the last good reconcile, yet objects differ: someone else changed them.
        if (specSettled)
        {
            foreach (var o in changes)
            {
                OperatorMetrics.DriftCorrections.WithLabels(o.Kind).Inc();
                events.Record(tenant, EventRecorder.Warning, "DriftCorrected", "Repair", $"{o.Kind} {o.Name}: {DriftText(o)}.");
            }
            return;
        }
        var first = tenant.Status?.Phase is null or Phases.Pending or Phases.Failed && changes.Any(c => c is { Kind: "Namespace", Action: ApplyAction.Created });
        events.Record(tenant, EventRecorder.Normal, first ? "Provisioned" : "Updated", first ? "Create" : "Update",
            string.Join("; ", changes.Select(c => c.ToString())));
    }

    /// <summary>The drift a pass repaired, as audit records (the same judgement as the DriftCorrected events).</summary>
    public static IReadOnlyList<Audit.AuditEntry> DriftEntries(IReadOnlyList<ApplyOutcome> outcomes, IReadOnlyCollection<string> rotated, bool specSettled)
    {
        if (!specSettled) return [];
        return outcomes.Where(o => o.Action is not (ApplyAction.Unchanged or ApplyAction.HeldOff) && !o.ByUpgrade &&
                                   !(o is { Action: ApplyAction.Updated, Kind: "Secret" } && rotated.Contains(o.Name)))
            .Select(o => new Audit.AuditEntry("DriftCorrected", [$"{o.Kind} {o.Name}"], DriftText(o))).ToList();
    }

    private static string DriftText(ApplyOutcome o)
    {
        var by = o.CompetingManagers.Count > 0 ? $" (changed by {string.Join(", ", o.CompetingManagers)})" : "";
        return o.Action == ApplyAction.Updated ? $"fields changed by someone else were restored{by}: {string.Join(", ", o.ChangedFields)}"
            : o.Action == ApplyAction.Created ? "it was missing and was recreated" : "it was not in the spec and was removed";
    }

    /// <summary>Bindings removed because their own deadline passed (the rest of the tenant stays), or because the
    /// spec no longer lists them.</summary>
    public async Task RevokedAsync(DemoTenant tenant, IReadOnlyList<k8s.Models.V1RoleBinding> revoked, DateTimeOffset now, CancellationToken ct)
    {
        if (revoked.Count == 0) return;
        var entries = (tenant.Spec.Access ?? []).GroupBy(a => RbacBuilder.BindingName(new AccessGrant(a.Kind, a.Name, a.Role, a.ExpiresAt))).ToDictionary(g => g.Key, g => g.First());
        // A guest's binding is named by its account's slot, which status.guests maps back to the entry.
        foreach (var g in tenant.Status?.Guests ?? [])
            if ((tenant.Spec.Access ?? []).FirstOrDefault(a => a.Kind == Guests.Kind && a.Name == g.Name) is { } entry)
                entries.TryAdd(RbacBuilder.GuestBindingName(g.ServiceAccount, g.Role), entry);
        foreach (var b in revoked)
        {
            var subject = b.Subjects?.FirstOrDefault();
            if (entries.TryGetValue(b.Metadata.Name, out var a) && a.ExpiresAt is { } at && at <= now)
                events.Record(tenant, EventRecorder.Normal, "AccessExpired", "Revoke", $"Access of {a.Kind} {a.Name} ({a.Role}) ended at {at.ToUniversalTime():u}.");
            else if (subject is not null && tenant.Spec.Suspended != true)
                events.Record(tenant, EventRecorder.Normal, "AccessRevoked", "Revoke", $"Access of {subject.Kind} {subject.Name} ({b.RoleRef.Name}) was removed: it is no longer granted by the spec.");
        }
    }
}
