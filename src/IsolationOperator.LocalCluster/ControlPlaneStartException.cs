namespace IsolationOperator.LocalCluster;

/// <summary>The plane did not become ready; the message carries the log tail of the process that failed.</summary>
public sealed class ControlPlaneStartException : Exception
{
    public ControlPlaneStartException(string message, Exception? inner = null)
        : base(message, inner)
    {
    }

    /// <summary>True when a process died because its port was taken meanwhile: retrying with new ports helps.</summary>
    public bool IsPortConflict { get; init; }
}
