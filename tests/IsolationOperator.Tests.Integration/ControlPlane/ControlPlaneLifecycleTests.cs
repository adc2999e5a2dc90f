using System.Diagnostics;
using IsolationOperator.LocalCluster;
using IsolationOperator.Tests.Integration.Infrastructure;
using k8s;

namespace IsolationOperator.Tests.Integration.ControlPlaneTests;

/// <summary>
/// Planes of their own (not the shared one): stopping them, whether by DisposeAsync, SIGTERM to the
/// LocalCluster program or SIGKILL of the hosting process, leaves no etcd/apiserver/KCM behind.
/// </summary>
public sealed class ControlPlaneLifecycleTests
{
    private static readonly TimeSpan OrphanDeadline = TimeSpan.FromSeconds(15);

    [LocalPlaneFact]
    public async Task Disposed_plane_leaves_no_processes_behind()
    {
        var plane = await ControlPlane.StartAsync(new ControlPlaneOptions { StartControllerManager = false, UseExistingCluster = false });
        var pids = plane.ProcessIds;
        var workDirectory = plane.WorkDirectory;
        try
        {
            pids.Should().HaveCount(2, "etcd and kube-apiserver, no controller manager");
            pids.Should().OnlyContain(pid => IsRunning(pid));
            using var admin = plane.AdminClient();
            (await admin.CoreV1.ReadNamespaceAsync("default")).Status.Phase.Should().Be("Active");
        }
        finally
        {
            await plane.DisposeAsync();
        }

        pids.Should().NotContain(pid => IsRunning(pid));
        Directory.Exists(workDirectory).Should().BeFalse("the plane created its work directory and deletes it");
    }

    [LocalPlaneFact]
    public async Task LocalCluster_program_stops_everything_on_SIGTERM_and_exits_0()
    {
        await using var program = await LocalClusterProgram.StartAsync();
        var pids = program.PlanePids();
        pids.Should().HaveCount(3, "etcd, kube-apiserver and kube-controller-manager");
        var version = await Kubectl.RunAsync(program.KubeconfigPath, "get", "namespace", "default", "-o", "name");
        version.Stdout.Trim().Should().Be("namespace/default", version.ToString());

        program.Signal("TERM");
        (await program.WaitForExitAsync(TimeSpan.FromSeconds(20))).Should().Be(0);

        pids.Should().NotContain(pid => IsRunning(pid), "disposal waits for the processes");
        Directory.Exists(program.WorkDirectory).Should().BeFalse();
    }

    [LocalPlaneFact]
    public async Task SIGKILLed_host_leaves_no_orphans()
    {
        await using var program = await LocalClusterProgram.StartAsync();
        var pids = program.PlanePids();
        pids.Should().HaveCount(3);

        program.Signal("KILL");

        var stopwatch = Stopwatch.StartNew();
        await Eventually.HoldsAsync("the watchdog to stop etcd, kube-apiserver and kube-controller-manager",
            () => Task.FromResult(!pids.Any(IsRunning)), OrphanDeadline);
        await Eventually.HoldsAsync("the watchdog to delete the work directory",
            () => Task.FromResult(!Directory.Exists(program.WorkDirectory)), OrphanDeadline);
        stopwatch.Elapsed.Should().BeLessThan(OrphanDeadline);
    }

    /// <summary>Running, i.e. not gone and not a zombie waiting for init to reap it.</summary>
    private static bool IsRunning(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..][0] is not ('Z' or 'X');
        }
        catch (IOException)
        {
            return false;
        }
    }
}
