using System.Text.RegularExpressions;
using IsolationOperator.Api.V1Alpha1;

namespace IsolationOperator.Desired;

/// <summary>
/// Guests: prospects with no account in the cluster's identity provider (spec.access kind Guest). Each gets a
/// ServiceAccount in the demo namespace, named by slot (guest-1 … guest-16) rather than after the guest, because the
/// chart's tenant-guest-token-issuer ClusterRole can only name the accounts its demo admins may mint tokens for with
/// fixed resourceNames: the operator binds that role and never writes a Role of its own. Slots stay with their guest
/// (status.guests remembers them); a slot freed in this pass is not handed out in the same pass, and an account whose
/// guest label differs is recreated, so a token issued for one guest can never serve another. Pure.
/// </summary>
public static partial class Guests
{
    public const int MaxGuests = 16;
    public const string ServiceAccountPrefix = "guest-";
    /// <summary>Label on a guest's ServiceAccount naming the guest it serves.</summary>
    public const string GuestLabel = "isolation.demo.dev/guest";
    public const string TokenIssuerRole = "tenant-guest-token-issuer";
    public const string TokenIssuerBinding = "guest-token-issuers";
    public const string Kind = "Guest";
    public static readonly TimeSpan DefaultTokenMaxLifetime = TimeSpan.FromHours(24);

    /// <summary>Every slot name, in order: the resourceNames of <see cref="TokenIssuerRole"/>.</summary>
    public static IReadOnlyList<string> Slots { get; } = Enumerable.Range(1, MaxGuests).Select(i => $"{ServiceAccountPrefix}{i}").ToList();

    public static bool IsSlot(string serviceAccountName) => Slots.Contains(serviceAccountName, StringComparer.Ordinal);

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")]
    private static partial Regex NamePattern();

    /// <summary>Why a guest name is refused, or null: a label that goes into a Kubernetes label value and an event.</summary>
    public static string? NameProblem(string name) =>
        name.Length is > 0 and <= 40 && NamePattern().IsMatch(name) ? null
            : $"spec.access: guest name \"{name}\" must be 1 to 40 lowercase letters, digits and '-', starting and ending with a letter or digit, such as jane-at-acme";

    /// <summary>
    /// The guests in force, each with its slot. <paramref name="inForce"/> are the valid, unexpired guest entries in
    /// spec order; <paramref name="recorded"/> is status.guests from the last pass.
    /// </summary>
    public static IReadOnlyList<GuestPlan> Assign(IReadOnlyList<AccessGrant> inForce, IEnumerable<GuestStatus>? recorded, DateTimeOffset? demoExpiresAt)
    {
        var previous = (recorded ?? []).Where(g => IsSlot(g.ServiceAccount)).ToList();
        var kept = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var g in previous)
            if (inForce.Any(a => a.Name == g.Name) && !kept.ContainsKey(g.Name) && !kept.ContainsValue(g.ServiceAccount)) kept[g.Name] = g.ServiceAccount;
        // Slots of guests just removed stay out of reach for this pass: their accounts are deleted first.
        var taken = previous.Select(g => g.ServiceAccount).Concat(kept.Values).ToHashSet(StringComparer.Ordinal);
        var free = new Queue<string>(Slots.Where(s => !taken.Contains(s)));
        var plans = new List<GuestPlan>();
        foreach (var a in inForce)
        {
            string? slot = kept.TryGetValue(a.Name, out var k) ? k : free.TryDequeue(out var f) ? f : null;
            // No free slot yet (all sixteen changed hands at once): the guest gets one on the next pass.
            if (slot is null) continue;
            plans.Add(new GuestPlan(a, slot, new[] { a.ExpiresAt, demoExpiresAt }.Min()));
        }
        return plans;
    }

    /// <summary>
    /// The guests status.guests recorded that the spec still lists, in force at <paramref name="now"/>, each with its
    /// entry: what a rejected spec keeps (it adds no guest, and one it no longer lists, or whose entry ended, goes).
    /// </summary>
    public static IEnumerable<(GuestStatus Recorded, AccessEntry Entry)> StillListed(DemoTenant tenant, DateTimeOffset now) =>
        (tenant.Status?.Guests ?? []).Select(g => (g, Entry: (tenant.Spec.Access ?? []).FirstOrDefault(a => a.Kind == Kind && a.Name == g.Name)))
            .Where(x => x.Entry is not null && RbacBuilder.Roles.ContainsKey(x.Entry.Role) && (x.Entry.ExpiresAt is null || x.Entry.ExpiresAt > now) && IsSlot(x.g.ServiceAccount))
            .Select(x => (x.g, x.Entry!));
}

/// <summary>A guest in force: its entry, its ServiceAccount's name, and when its access ends.</summary>
public sealed record GuestPlan(AccessGrant Grant, string ServiceAccount, DateTimeOffset? EndsAt)
{
    public string Name => Grant.Name;
    public string Role => Grant.Role;
}
