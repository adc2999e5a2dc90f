namespace IsolationOperator.Engine;

public enum ApplyAction { Unchanged, Created, Updated, Deleted }

/// <summary>What one write did, and to which fields (field paths only: never values, which may be secret).</summary>
public sealed record ApplyOutcome(ApplyAction Action, string Kind, string Name, IReadOnlyList<string> ChangedFields)
{
    public override string ToString() => ChangedFields.Count == 0
        ? $"{Action} {Kind} {Name}"
        : $"{Action} {Kind} {Name} ({string.Join(", ", ChangedFields)})";
}
