using IsolationOperator.Api.V1Alpha1;
using IsolationOperator.Desired;
using k8s.Models;

namespace IsolationOperator.Verification;

/// <summary>
/// The tenant ClusterRoles (tenant-admin, -edit, -view) as they are in the cluster, against the rules the chart ships
/// (<see cref="RbacBuilder.BuildClusterRoles"/>). The operator may only bind them, never write them, so an edit that
/// widens one is reported as a path, naming who changed it; the repair is the chart's (helm upgrade, or
/// kubectl apply of files/tenant-clusterroles.yaml). A role that grants less is not a way in: the promise checks
/// of the access matrix report that. Pure.
/// </summary>
public static class TenantRoleDrift
{
    public static IReadOnlyList<string> Names { get; } = RbacBuilder.BuildClusterRoles().Select(r => r.Metadata.Name).Order(StringComparer.Ordinal).ToList();

    /// <param name="live">The tenant ClusterRoles read from the API server (absent ones left out).</param>
    /// <param name="bound">The tenant roles this demo binds, as access roles ("edit") or ClusterRole names (tenant-edit,
    /// tenant-guest-token-issuer), so a demo is told only of roles that concern it.</param>
    public static IReadOnlyList<IsolationPath> Find(IEnumerable<V1ClusterRole> live, IEnumerable<string> bound)
    {
        var expected = RbacBuilder.BuildClusterRoles().ToDictionary(r => r.Metadata.Name, r => (IReadOnlyList<V1PolicyRule>)r.Rules.ToList(), StringComparer.Ordinal);
        var wanted = bound.Select(r => RbacBuilder.Roles.TryGetValue(r, out var x) ? x.RoleName : r).Where(expected.ContainsKey).ToHashSet(StringComparer.Ordinal);
        var paths = new List<IsolationPath>();
        foreach (var role in live.Where(r => wanted.Contains(r.Metadata.Name)).OrderBy(r => r.Metadata.Name, StringComparer.Ordinal))
        {
            var extra = Extra(role.Rules ?? [], expected[role.Metadata.Name]);
            if (extra.Count == 0) continue;
            paths.Add(new IsolationPath
            {
                Kind = "ClusterRole", Namespace = null, Name = role.Metadata.Name,
                Opens = $"grants more than the chart ships: {string.Join("; ", extra)} (restore it with helm upgrade, or kubectl apply -f charts/isolation-operator/files/tenant-clusterroles.yaml)",
                ChangedBy = role.Metadata.ManagedFields?.OrderBy(f => f.Time ?? DateTime.MinValue).LastOrDefault()?.Manager,
            });
        }
        return paths;
    }

    /// <summary>Each permission of <paramref name="live"/> that no expected rule covers, as "verb group/resource" text.</summary>
    public static IReadOnlyList<string> Extra(IEnumerable<V1PolicyRule> live, IReadOnlyList<V1PolicyRule> expected)
    {
        var extra = new List<string>();
        foreach (var rule in live)
        {
            foreach (var url in rule.NonResourceURLs ?? [])
                foreach (var verb in rule.Verbs ?? [])
                    if (!expected.Any(e => Has(e.NonResourceURLs, url) && Has(e.Verbs, verb))) extra.Add($"{verb} {url}");
            foreach (var group in rule.ApiGroups ?? [])
                foreach (var resource in rule.Resources ?? [])
                    foreach (var verb in rule.Verbs ?? [])
                        if (!expected.Any(e => Covers(e, group, resource, verb, rule.ResourceNames)))
                            extra.Add($"{verb} {(group.Length == 0 ? "" : group + "/")}{resource}{Named(rule.ResourceNames)}");
        }
        return extra.Distinct(StringComparer.Ordinal).ToList();
    }

    private static bool Covers(V1PolicyRule e, string group, string resource, string verb, IList<string>? names) =>
        Has(e.ApiGroups, group) && Has(e.Resources, resource) && Has(e.Verbs, verb) &&
        (e.ResourceNames is null || e.ResourceNames.Count == 0 || (names is { Count: > 0 } && names.All(e.ResourceNames.Contains)));

    // A "*" in the expected rule covers anything; a "*" in the live rule is covered only by a "*".
    private static bool Has(IList<string>? values, string value) => values is not null && (values.Contains("*") || values.Contains(value));

    private static string Named(IList<string>? names) => names is { Count: > 0 } ? $" named {string.Join(",", names)}" : "";
}
