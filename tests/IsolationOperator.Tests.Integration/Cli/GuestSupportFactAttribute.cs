using IsolationOperator.Tests.Integration.Infrastructure;

namespace IsolationOperator.Tests.Integration.Cli;

/// <summary>
/// A test of guest kubeconfigs: needs the operator side of #15 (guest ServiceAccounts, the tenant-guest-token-issuer
/// ClusterRole in the chart). Skipped, saying so, on a tree that does not have it yet.
/// </summary>
public sealed class GuestSupportFactAttribute : FactAttribute
{
    public GuestSupportFactAttribute()
    {
        if (!Available) Skip = "needs the operator's guest ServiceAccounts (#15 part 1): no tenant-guest-token-issuer in charts/ yet";
    }

    public static bool Available { get; } = Directory.EnumerateFiles(RepoRoot.File("charts"), "*.yaml", SearchOption.AllDirectories)
        .Any(f => File.ReadAllText(f).Contains("tenant-guest-token-issuer", StringComparison.Ordinal));
}
