using IsolationOperator.LocalCluster;

namespace IsolationOperator.Tests.Integration.Infrastructure;

public static class Crd
{
    private static readonly SemaphoreSlim Once = new(1, 1);
    private static readonly HashSet<string> Installed = [];

    /// <summary>kubectl apply of crds/ exactly as a user installs it, then waits until the API serves it; and the tenant ClusterRoles.</summary>
    public static async Task InstallAsync(ControlPlane plane)
    {
        await Once.WaitAsync();
        try
        {
            if (Installed.Contains(plane.ServerUrl)) return;
            var apply = await Kubectl.RunAsync(plane.KubeconfigPath, "apply", "-f", RepoRoot.File("crds"));
            apply.ExitCode.Should().Be(0, apply.ToString());
            var wait = await Kubectl.RunAsync(plane.KubeconfigPath, "wait", "--for", "condition=established", "--timeout=60s",
                "crd/demotenants.isolation.demo.dev");
            wait.ExitCode.Should().Be(0, wait.ToString());
            // The tenant ClusterRoles that demo RoleBindings reference, as the chart ships them.
            var roles = await Kubectl.RunAsync(plane.KubeconfigPath, "apply", "-f", RepoRoot.File("charts/isolation-operator/files/tenant-clusterroles.yaml"));
            roles.ExitCode.Should().Be(0, roles.ToString());
            Installed.Add(plane.ServerUrl);
        }
        finally
        {
            Once.Release();
        }
    }
}
