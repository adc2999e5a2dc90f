namespace IsolationOperator.Tests.Integration.Infrastructure;

public static class RepoRoot
{
    public static string Path { get; } = Find();

    public static string File(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (System.IO.File.Exists(System.IO.Path.Combine(dir.FullName, "IsolationOperator.sln"))) return dir.FullName;
        throw new InvalidOperationException("repository root (IsolationOperator.sln) not found above " + AppContext.BaseDirectory);
    }
}
