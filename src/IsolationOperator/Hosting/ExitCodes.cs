namespace IsolationOperator.Hosting;

/// <summary>How the process ends; documented in README ("Exit codes") because restarts and alerts key on them.</summary>
public static class ExitCodes
{
    /// <summary>Stopped on request (SIGTERM), after releasing the Lease.</summary>
    public const int Stopped = 0;
    /// <summary>The operator loop failed with an unexpected exception, or stopped without being asked to.</summary>
    public const int Faulted = 1;
    /// <summary>Did not start: an invalid setting, or no reachable API server.</summary>
    public const int StartFailed = 2;
    /// <summary>This replica lost the leader Lease; the pod restarts with fresh caches and stands by.</summary>
    public const int LeadershipLost = 3;
}
