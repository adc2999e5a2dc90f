using k8s.Models;

namespace IsolationOperator.Tests.Unit.Support;

/// <summary>A tiny RBAC evaluator: does any rule in the list grant this verb on this resource, as the API server decides it?</summary>
internal static class RbacPolicy
{
    /// <remarks>A rule limited by resourceNames still counts as a grant: for prohibitions, any grant is one too many.</remarks>
    public static bool Allows(IEnumerable<V1PolicyRule> rules, string group, string resource, string verb) =>
        rules.Any(r => Matches(r.ApiGroups, group) && Matches(r.Resources, resource) && Matches(r.Verbs, verb));

    private static bool Matches(IList<string>? values, string wanted) =>
        values is not null && values.Any(v => v == "*" || v == wanted);

    public static readonly string[] AllVerbs =
        ["get", "list", "watch", "create", "update", "patch", "delete", "deletecollection", "escalate", "bind", "impersonate", "approve", "sign", "use"];

    public static readonly string[] ReadVerbs = ["get", "list", "watch"];
}
