namespace IsolationOperator.Engine;

/// <summary>This replica no longer holds the Lease: its writes are refused and the process exits (ExitCodes.LeadershipLost).</summary>
public sealed class LeadershipLostException(string message) : Exception(message);
