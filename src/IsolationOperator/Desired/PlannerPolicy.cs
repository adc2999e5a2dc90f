namespace IsolationOperator.Desired;

// TEMPORARY STUB: replaced by the policy branch on merge.
public sealed record PlannerPolicy
{
    public string NamespacePrefix { get; init; } = "demo-";
    public IReadOnlyList<string> ReservedNamespaces { get; init; } = [];
    public IReadOnlyList<string> AllowedSystemSubjects { get; init; } = [];
    public static PlannerPolicy Default { get; } = new();
}
