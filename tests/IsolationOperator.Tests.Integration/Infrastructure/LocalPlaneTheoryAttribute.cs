namespace IsolationOperator.Tests.Integration.Infrastructure;

/// <summary>A theory that needs the local control plane itself; skipped when USE_EXISTING_CLUSTER=true.</summary>
public sealed class LocalPlaneTheoryAttribute : TheoryAttribute
{
    public LocalPlaneTheoryAttribute()
    {
        if (Environment.GetEnvironmentVariable("USE_EXISTING_CLUSTER") == "true")
            Skip = "needs the local control plane (USE_EXISTING_CLUSTER=true)";
    }
}
