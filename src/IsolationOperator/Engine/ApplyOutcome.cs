namespace IsolationOperator.Engine;

public enum ApplyAction { Unchanged, Created, Updated, Deleted, HeldOff }

/// <summary>What one write did, and to which fields (field paths only: never values, which may be secret).</summary>
public sealed record ApplyOutcome(ApplyAction Action, string Kind, string Name, IReadOnlyList<string> ChangedFields)
{
    /// <summary>Other field managers that had written the object (who the operator is correcting).</summary>
    public IReadOnlyList<string> CompetingManagers { get; init; } = [];
    /// <summary>The difference came from an operator upgrade (the object carried another operator version), not from drift.</summary>
    public bool ByUpgrade { get; init; }
    /// <summary>HeldOff: when the operator writes this object again.</summary>
    public DateTimeOffset? RetryAt { get; init; }

    public override string ToString() => ChangedFields.Count == 0
        ? $"{Action} {Kind} {Name}"
        : $"{Action} {Kind} {Name} ({string.Join(", ", ChangedFields)})";
}
