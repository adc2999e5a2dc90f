namespace IsolationOperator.Tests.Unit.Support;

internal static class RepoPaths
{
    /// <summary>The repository root: the first directory above the test binaries that holds the solution.</summary>
    public static string Root { get; } = FindRoot();

    public static string Crd => Path.Combine(Root, "crds", "isolation.demo.dev_demotenants.yaml");
    public static string Samples => Path.Combine(Root, "samples");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "IsolationOperator.sln"))) return dir.FullName;
        throw new InvalidOperationException($"no IsolationOperator.sln above {AppContext.BaseDirectory}");
    }
}
