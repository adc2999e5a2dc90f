using IsolationOperator.Api.V1Alpha1;
using k8s.Models;

namespace IsolationOperator.Verification;

/// <summary>
/// The chart's roles for people (demotenant-editor, demotenant-viewer): bound cluster-wide to sales engineers, who are
/// usually also a demo's admins. DemoTenants are cluster-scoped, so such a binding opens no namespace, and the verifier
/// does not report it as a path, but only while the role, read from the API server, still grants nothing but
/// DemoTenants: one someone widened (or aggregated into) is a path again. Pure.
/// </summary>
public static class DemoTenantOnlyRoles
{
    public static IReadOnlyList<string> Names { get; } = ["demotenant-editor", "demotenant-viewer"];

    /// <summary>The names among <paramref name="live"/> whose rules reach only DemoTenants.</summary>
    public static IReadOnlySet<string> Harmless(IEnumerable<V1ClusterRole> live) =>
        live.Where(r => Names.Contains(r.Metadata.Name) && r.AggregationRule is null && (r.Rules ?? []).All(OnlyDemoTenants))
            .Select(r => r.Metadata.Name).ToHashSet(StringComparer.Ordinal);

    private static bool OnlyDemoTenants(V1PolicyRule rule) =>
        (rule.NonResourceURLs ?? []).Count == 0
        && (rule.ApiGroups ?? []).Count > 0 && rule.ApiGroups!.All(g => g == DemoTenant.Group)
        && (rule.Resources ?? []).Count > 0 && rule.Resources!.All(r => r is DemoTenant.Plural || r.StartsWith(DemoTenant.Plural + "/", StringComparison.Ordinal));
}
