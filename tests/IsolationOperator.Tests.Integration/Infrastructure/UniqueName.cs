namespace IsolationOperator.Tests.Integration.Infrastructure;

/// <summary>DNS-1123 names that do not collide between tests, parallel runs or an existing cluster's leftovers.</summary>
public static class UniqueName
{
    public static string For(string prefix) => $"{prefix}-{Guid.NewGuid().ToString("N")[..8]}";
}
