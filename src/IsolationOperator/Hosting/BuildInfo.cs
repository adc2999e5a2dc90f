using System.Reflection;

namespace IsolationOperator.Hosting;

public static class BuildInfo
{
    /// <summary>"0.1.0+&lt;commit&gt;": set at build time by -p:Version and -p:SourceRevisionId (see Dockerfile).</summary>
    public static string Version { get; } =
        typeof(BuildInfo).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";
}
