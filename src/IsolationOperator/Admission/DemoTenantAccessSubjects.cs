using IsolationOperator.Api.V1Alpha1;

namespace IsolationOperator.Admission;

/// <summary>
/// spec.access may only name users and groups whose names start with a configured prefix
/// (Operator:Admission:AllowedSubjectPrefixes, e.g. prospect-, se-), so a demo can never make an internal group admin
/// of a namespace. Only subjects a change adds are judged: an entry already granted does not block other edits.
/// </summary>
public static class DemoTenantAccessSubjects
{
    public static IEnumerable<string> Problems(DemoTenant tenant, DemoTenant? old, AdmissionOptions options)
    {
        var prefixes = AdmissionOptions.Clean(options.AllowedSubjectPrefixes);
        if (prefixes.Count == 0) yield break;
        var existing = (old?.Spec.Access ?? []).Select(a => (a.Kind, a.Name)).ToHashSet();
        foreach (var entry in tenant.Spec.Access ?? [])
        {
            // A guest's name is a label, not an identity: its account is the operator's, in the demo's namespace.
            if (entry.Kind == Desired.Guests.Kind || existing.Contains((entry.Kind, entry.Name))) continue;
            if (prefixes.Any(p => entry.Name.StartsWith(p, StringComparison.Ordinal))) continue;
            var list = prefixes.Count == 1 ? prefixes[0] : string.Join(", ", prefixes.Take(prefixes.Count - 1)) + " or " + prefixes[^1];
            yield return $"spec.access: {entry.Kind.ToLowerInvariant()} \"{entry.Name}\" is not allowed: a demo may only grant access to users and groups " +
                         $"whose names start with {list} (Operator:Admission:AllowedSubjectPrefixes); use a name such as {prefixes[0]}{Example(tenant)}, or {options.AskAnAdmin}";
        }
    }

    private static string Example(DemoTenant tenant) => string.IsNullOrEmpty(tenant.Metadata.Name) ? "acme" : tenant.Metadata.Name;
}
