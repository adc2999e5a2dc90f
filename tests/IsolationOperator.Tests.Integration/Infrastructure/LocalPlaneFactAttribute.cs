namespace IsolationOperator.Tests.Integration.Infrastructure;

/// <summary>
/// A test that needs the local plane itself (its audit log, its processes, Kubernetes 1.20 behaviour):
/// skipped when USE_EXISTING_CLUSTER=true.
/// </summary>
public sealed class LocalPlaneFactAttribute : FactAttribute
{
    public LocalPlaneFactAttribute()
    {
        if (Environment.GetEnvironmentVariable("USE_EXISTING_CLUSTER") == "true")
        {
            Skip = "needs the local control plane (USE_EXISTING_CLUSTER=true)";
        }
    }
}
