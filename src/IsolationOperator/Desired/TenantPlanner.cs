using IsolationOperator.Api.V1Alpha1;
using k8s.Models;

namespace IsolationOperator.Desired;

/// <summary>
/// Checks what the CRD schema cannot (derived names, quota keys, CIDRs, immutability) and resolves defaults.
/// Problems are phrased for a sales engineer: they end up in the DemoTenant's Ready condition.
/// </summary>
public static class TenantPlanner
{
    public const int DefaultSecretLength = 24;
    /// <summary>Quota keys that count objects: the API server refuses fractions for them.</summary>
    private static readonly HashSet<string> CountKeys = ["pods", "services", "persistentvolumeclaims", "secrets", "configmaps"];

    public static string NamespaceFor(DemoTenant tenant) => NamespaceFor(tenant, PlannerPolicy.Default);

    public static string NamespaceFor(DemoTenant tenant, PlannerPolicy policy) =>
        string.IsNullOrEmpty(tenant.Spec.Namespace) ? policy.NamespacePrefix + tenant.Metadata.Name : tenant.Spec.Namespace!;

    /// <summary>status.expiresAt: spec.expiresAt, else creation time + ttl, else none.</summary>
    public static DateTimeOffset? ExpiresAt(DemoTenant tenant)
    {
        if (tenant.Spec.ExpiresAt is { } at) return at.ToUniversalTime();
        if (GoDuration.TryParse(tenant.Spec.Ttl, out var ttl) && tenant.Metadata.CreationTimestamp is { } created)
            return new DateTimeOffset(DateTime.SpecifyKind(created, DateTimeKind.Utc)) + ttl;
        return null;
    }

    public static PlanResult Plan(DemoTenant tenant, DateTimeOffset now) => Plan(tenant, now, PlannerPolicy.Default);

    public static PlanResult Plan(DemoTenant tenant, DateTimeOffset now, PlannerPolicy policy)
    {
        var problems = new List<string>();
        var spec = tenant.Spec;
        var name = tenant.Metadata.Name;

        var ns = NamespaceFor(tenant, policy);
        var provisioned = tenant.Status?.Namespace;
        if (NamespaceRules.Problem(ns, !string.IsNullOrEmpty(spec.Namespace), name, policy, provisioned == ns) is { } nsProblem)
            problems.Add(nsProblem);
        if (!string.IsNullOrEmpty(provisioned) && provisioned != ns)
            problems.Add($"spec.namespace cannot change once provisioned: this demo lives in \"{provisioned}\"; " +
                         $"set it back, or create a new DemoTenant for \"{ns}\"");

        var profileName = string.IsNullOrEmpty(spec.Profile) ? Profiles.Default : spec.Profile!;
        if (!Profiles.All.TryGetValue(profileName, out var profile))
        {
            problems.Add($"spec.profile \"{profileName}\" is unknown; use small, medium or large");
            profile = Profiles.All[Profiles.Default];
        }

        var quota = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (k, v) in profile.Quota) quota[k] = Canonical(v);
        foreach (var (key, raw) in spec.Quota ?? new Dictionary<string, IntOrString>())
        {
            var text = raw?.Value ?? "";
            if (Profiles.Locked.Contains(key))
                problems.Add($"spec.quota.{key} cannot be set: it stays 0 so the demo is not exposed outside its network policies");
            else if (key.StartsWith(Profiles.CountPrefix, StringComparison.Ordinal) && profile.Quota.ContainsKey(key))
                problems.Add($"spec.quota.{key} is set by the profile ({profile.Quota[key]} in {profile.Name}); choose a larger profile for more");
            else if (!Profiles.OverridableKeys.Contains(key))
                problems.Add($"spec.quota.{key} is not a quota this operator manages; use one of: {string.Join(", ", Profiles.OverridableKeys.Order())}");
            else if (!TryCanonical(text, out var canonical))
                problems.Add($"spec.quota.{key} \"{text}\" is not a valid quantity");
            else if (QuantityProblem(key, text, canonical) is { } problem)
                problems.Add(problem);
            else if (QuotaCaps.Problem(key, text, canonical, policy.QuotaCaps) is { } capProblem)
                problems.Add(capProblem);
            else
                quota[key] = canonical;
        }

        if (spec.Ttl is not null && !GoDuration.TryParse(spec.Ttl, out _))
            problems.Add($"spec.ttl \"{spec.Ttl}\" is not a duration like 168h, 90m or 20s");

        var active = new List<AccessGrant>();
        var expired = new List<AccessGrant>();
        var guests = new List<AccessGrant>();
        foreach (var a in spec.Access ?? [])
        {
            var grant = new AccessGrant(a.Kind, a.Name, a.Role, a.ExpiresAt?.ToUniversalTime());
            var isGuest = a.Kind == Guests.Kind;
            if (isGuest && Guests.NameProblem(a.Name) is { } guestProblem)
                problems.Add(guestProblem);
            else if (!isGuest && ReservedSubjects.Problem(a.Kind, a.Name, policy) is { } subjectProblem)
                problems.Add(subjectProblem);
            else if (!RbacBuilder.Roles.ContainsKey(a.Role))
                problems.Add($"spec.access: role \"{a.Role}\" for {a.Kind} {a.Name} is unknown; use admin, edit or view");
            else if (grant.ExpiresAt is { } until && until <= now) expired.Add(grant);
            else (isGuest ? guests : active).Add(grant);
        }
        if ((spec.Access ?? []).Count(a => a.Kind == Guests.Kind) > Guests.MaxGuests)
            problems.Add($"spec.access lists more than {Guests.MaxGuests} guests; a demo may have at most {Guests.MaxGuests}: remove some, or give the prospect's people accounts (kind User or Group)");
        foreach (var dup in (spec.Access ?? []).GroupBy(a => (a.Kind, a.Name)).Where(g => g.Count() > 1))
            problems.Add($"spec.access lists {dup.Key.Kind} {dup.Key.Name} more than once; keep one entry per subject");

        var workloadRole = string.IsNullOrEmpty(spec.WorkloadRole) ? RbacBuilder.DefaultWorkloadRole : spec.WorkloadRole!;
        if (!RbacBuilder.WorkloadRoles.Contains(workloadRole))
            problems.Add($"spec.workloadRole \"{workloadRole}\" is unknown; use {string.Join(" or ", RbacBuilder.WorkloadRoles)}");

        var egress = EgressRules.Check(spec.Network?.EgressCIDRs ?? [], policy.EgressDenyCidrs, policy.AllowEgressToAnywhere);
        problems.AddRange(egress.Problems);

        var secrets = new List<SecretPlan>();
        foreach (var s in spec.Secrets ?? [])
        {
            TimeSpan? rotate = null;
            if (s.RotateEvery is not null)
            {
                if (GoDuration.TryParse(s.RotateEvery, out var every) && every >= TimeSpan.FromSeconds(1)) rotate = every;
                else problems.Add($"spec.secrets[{s.Name}].rotateEvery \"{s.RotateEvery}\" is not a duration of at least 1s");
            }
            foreach (var dup in s.Keys.GroupBy(k => k.Name).Where(g => g.Count() > 1))
                problems.Add($"spec.secrets[{s.Name}] lists key \"{dup.Key}\" more than once");
            secrets.Add(new SecretPlan(s.Name,
                s.Keys.Select(k => new SecretKeyPlan(k.Name, k.Length ?? DefaultSecretLength)).ToList(), rotate));
        }
        foreach (var dup in secrets.GroupBy(s => s.Name).Where(g => g.Count() > 1))
            problems.Add($"spec.secrets lists \"{dup.Key}\" more than once");

        problems.AddRange(NodeIsolation.Problems(spec.Isolation));

        if (problems.Count > 0) return new PlanResult(null, problems);
        return new PlanResult(new TenantPlan
        {
            Tenant = name,
            Namespace = ns,
            Profile = profile,
            Quota = quota,
            ExpiresAt = ExpiresAt(tenant),
            Suspended = spec.Suspended == true,
            Access = active,
            ExpiredAccess = expired,
            Guests = spec.Suspended == true ? [] : Guests.Assign(guests, tenant.Status?.Guests, ExpiresAt(tenant)),
            GuestTokenMaxLifetime = policy.GuestTokenMaxLifetime,
            WorkloadRole = workloadRole,
            AllowDNS = spec.Network?.AllowDNS ?? true,
            IngressFromNamespaces = (spec.Network?.IngressFromNamespaces ?? []).Distinct().ToList(),
            EgressCIDRs = egress.Cidrs,
            EgressExcept = egress.Except,
            Secrets = secrets,
            OperatorAccess = policy.OperatorAccess,
            NodeSelector = new SortedDictionary<string, string>(spec.Isolation?.Nodes?.Selector ?? new Dictionary<string, string>(), StringComparer.Ordinal),
            Tolerations = spec.Isolation?.Nodes?.Tolerations?.ToList() ?? [],
            RuntimeClassName = spec.Isolation?.RuntimeClassName is { Length: > 0 } runtime ? runtime : null,
        }, []);
    }

    /// <summary>What the API server would refuse in a valid quantity: negatives, and fractions of a count.</summary>
    private static string? QuantityProblem(string key, string text, string canonical)
    {
        var value = new ResourceQuantity(canonical).ToDecimal();
        if (value < 0) return $"spec.quota.{key} \"{text}\" is negative; use 0 or more";
        if (CountKeys.Contains(key) && decimal.Truncate(value) != value) return $"spec.quota.{key} \"{text}\" must be a whole number";
        return null;
    }

    /// <summary>The API server stores quantities canonicalised; building them the same way lets a compare find "no change".</summary>
    public static string Canonical(string quantity) =>
        TryCanonical(quantity, out var c) ? c : throw new ArgumentException($"not a quantity: {quantity}");

    public static bool TryCanonical(string text, out string canonical)
    {
        canonical = "";
        if (string.IsNullOrWhiteSpace(text)) return false;
        try
        {
            canonical = new ResourceQuantity(text.Trim()).CanonicalizeString();
            return true;
        }
        catch (Exception e) when (e is FormatException or ArgumentException or OverflowException)
        {
            return false;
        }
    }
}

public sealed record PlanResult(TenantPlan? Plan, IReadOnlyList<string> Problems);
