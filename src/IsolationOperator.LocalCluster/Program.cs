using System.Runtime.InteropServices;
using IsolationOperator.LocalCluster;

// Local runs: start a plane, publish its admin kubeconfig, keep it up until SIGINT/SIGTERM.
//   dotnet run --project src/IsolationOperator.LocalCluster -- --kubeconfig <path> [--work-dir <dir>]
string? kubeconfig = null, workDir = null;
for (var i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--kubeconfig" when i + 1 < args.Length:
            kubeconfig = args[++i];
            break;
        case "--work-dir" when i + 1 < args.Length:
            workDir = args[++i];
            break;
        default:
            await Console.Error.WriteLineAsync($"unknown argument {args[i]}\nusage: --kubeconfig <path> [--work-dir <dir>]");
            return 2;
    }
}

if (kubeconfig is null)
{
    await Console.Error.WriteLineAsync("usage: --kubeconfig <path> [--work-dir <dir>]");
    return 2;
}

using var stop = new CancellationTokenSource();
// Cancel the default termination so that disposal (and its clean exit code) happens on our terms.
// Registered before the plane starts so this handler runs before the library's fallback one.
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    stop.Cancel();
};
using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
{
    context.Cancel = true;
    stop.Cancel();
});

ControlPlane plane;
var startedAt = System.Diagnostics.Stopwatch.StartNew();
try
{
    plane = await ControlPlane.StartAsync(new ControlPlaneOptions { WorkDirectory = workDir, UseExistingCluster = false }, stop.Token);
}
catch (OperationCanceledException) when (stop.IsCancellationRequested)
{
    return 0;
}
catch (Exception e)
{
    await Console.Error.WriteLineAsync($"control plane failed to start: {e.Message}");
    return 1;
}

await using (plane)
{
    var target = Path.GetFullPath(kubeconfig);
    Directory.CreateDirectory(Path.GetDirectoryName(target)!);
    File.Copy(plane.KubeconfigPath, target, overwrite: true);
    Console.WriteLine($"control plane ready at {plane.ServerUrl}; kubeconfig {target}");
    // stdout carries exactly the one line above (scripts parse it); details go to stderr.
    await Console.Error.WriteLineAsync(
        $"started in {startedAt.Elapsed.TotalSeconds:0.0} s; work directory {plane.WorkDirectory}; process logs in its logs/ folder");
    try
    {
        await Task.Delay(Timeout.Infinite, stop.Token);
    }
    catch (OperationCanceledException)
    {
        // SIGINT/SIGTERM: fall through to disposal.
    }
}

return 0;
