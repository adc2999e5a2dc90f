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
    public async Task Failed_start_reports_the_dying_process_log_and_cleans_up()
    {
        // Real etcd, but an "apiserver" that rejects its flags the way a wrong version would.
        var shared = await SharedControlPlane.GetAsync();
        var root = Directory.CreateTempSubdirectory("isolation-broken-").FullName;
        try
        {
            var assets = Directory.CreateDirectory(Path.Combine(root, "assets")).FullName;
            File.CreateSymbolicLink(Path.Combine(assets, "etcd"), Path.Combine(shared.AssetsDirectory!, "etcd"));
            var fake = Path.Combine(assets, "kube-apiserver");
            await File.WriteAllTextAsync(fake, "#!/bin/sh\necho 'Error: unknown flag: --frobnicate' >&2\nexit 3\n");
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(fake, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }
            var workDirectory = Path.Combine(root, "work");

            var start = () => ControlPlane.StartAsync(new ControlPlaneOptions
            {
                AssetsDirectory = assets,
                WorkDirectory = workDirectory,
                UseExistingCluster = false,
                StartTimeout = TimeSpan.FromSeconds(30),
            });

            var error = (await start.Should().ThrowAsync<ControlPlaneStartException>()).Which;
            error.Message.Should().Contain("kube-apiserver exited").And.Contain("Error: unknown flag: --frobnicate");
            ProcessesMentioning(workDirectory).Should().BeEmpty("etcd, which did start, is stopped again");
            Directory.Exists(workDirectory).Should().BeFalse();
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
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

    private static List<int> ProcessesMentioning(string text) =>
    [
        .. Directory.EnumerateDirectories("/proc")
            .Select(d => int.TryParse(Path.GetFileName(d), out var pid) ? pid : 0)
            .Where(pid => pid > 0 && pid != Environment.ProcessId && IsRunning(pid) && CommandLine(pid).Contains(text, StringComparison.Ordinal)),
    ];

    private static string CommandLine(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ');
        }
        catch (IOException)
        {
            return "";
        }
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
