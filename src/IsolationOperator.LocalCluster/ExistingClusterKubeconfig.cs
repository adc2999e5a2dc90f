namespace IsolationOperator.LocalCluster;

/// <summary>Which kubeconfig "the current cluster" means: KUBECONFIG (first existing entry) or ~/.kube/config.</summary>
internal static class ExistingClusterKubeconfig
{
    public static string Locate()
    {
        var fromEnv = Environment.GetEnvironmentVariable("KUBECONFIG");
        if (!string.IsNullOrEmpty(fromEnv))
        {
            // Merging several files is kubectl's business; tests need one file they can hand around.
            return fromEnv.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries).FirstOrDefault(File.Exists)
                ?? throw new InvalidOperationException($"USE_EXISTING_CLUSTER: no file of KUBECONFIG={fromEnv} exists");
        }

        var home = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".kube", "config");
        return File.Exists(home)
            ? home
            : throw new InvalidOperationException($"USE_EXISTING_CLUSTER: KUBECONFIG is unset and {home} does not exist");
    }
}
