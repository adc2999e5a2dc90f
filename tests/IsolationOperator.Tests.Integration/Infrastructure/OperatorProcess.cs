using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text;

namespace IsolationOperator.Tests.Integration.Infrastructure;

/// <summary>The operator as a separate process (the built IsolationOperator.dll), configured like a user would: env vars.</summary>
public sealed class OperatorProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private OperatorProcess(Process process)
    {
        _process = process;
        process.OutputDataReceived += (_, e) => { lock (_output) _output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { lock (_output) _output.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public int Id => _process.Id;
    public int ExitCode => _process.ExitCode;
    public string Output { get { lock (_output) return _output.ToString(); } }

    // The operator is built with the same configuration as this test assembly (…/bin/<Configuration>/net10.0/).
    private static string Configuration => new DirectoryInfo(AppContext.BaseDirectory.TrimEnd('/')).Parent!.Name;
    private static string Dll => RepoRoot.File("src", "IsolationOperator", "bin", Configuration, "net10.0", "IsolationOperator.dll");

    public static OperatorProcess Start(string kubeconfig, IReadOnlyDictionary<string, string> settings)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(Dll);
        info.Environment["KUBECONFIG"] = kubeconfig;
        info.Environment["Operator__BindAddress"] = "127.0.0.1";
        // Isolation verification (SubjectAccessReviews and cluster-wide lists) has tests of its own; elsewhere it
        // would only add requests to the counts other tests make. A test may still turn it on.
        info.Environment["Operator__VerificationPeriod"] = "00:00:00";
        // Out of a pod there is no own namespace to default to: these processes run as admin, so "default" serves.
        info.Environment["Operator__Audit__Namespace"] = "default";
        foreach (var (k, v) in settings) info.Environment[$"Operator__{k}"] = v;
        return new OperatorProcess(Process.Start(info)!);
    }

    /// <summary>Runs <c>isolation-operator ARGS</c> (e.g. verify) to completion with this kubeconfig.</summary>
    public static async Task<(int ExitCode, string Stdout, string Stderr)> RunCommandAsync(string kubeconfig, params string[] args)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(Dll);
        foreach (var a in args) info.ArgumentList.Add(a);
        info.Environment["KUBECONFIG"] = kubeconfig;
        using var p = Process.Start(info)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(2));
        return (p.ExitCode, await stdout, await stderr);
    }

    public static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }

    public void Signal(int signal) => kill(_process.Id, signal);

    public async Task<bool> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try { await _process.WaitForExitAsync(cts.Token); return true; }
        catch (OperationCanceledException) { return false; }
    }

    public void Dispose()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        _process.Dispose();
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int sig);
}
