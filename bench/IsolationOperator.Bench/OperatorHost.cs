using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace IsolationOperator.Bench;

/// <summary>
/// The built operator as its own process (`dotnet IsolationOperator.dll`), configured by environment like a user
/// would, observed only from outside: /proc for CPU and memory, /metrics for reconcile counts.
/// </summary>
public sealed class OperatorHost : IAsyncDisposable
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(5) };
    private readonly Process _process;
    private readonly int _port;

    private OperatorHost(Process process, int port, string logPath)
    {
        _process = process;
        _port = port;
        LogPath = logPath;
    }

    public int Pid => _process.Id;
    public string LogPath { get; }
    public bool HasExited => _process.HasExited;

    public static async Task<OperatorHost> StartAsync(string dll, string kubeconfig, IReadOnlyDictionary<string, string> settings,
        IReadOnlyDictionary<string, string> env, string logPath)
    {
        var port = FreePort();
        // exec: the pid we measure is dotnet's own, and its output goes straight to a file (an unread pipe would block it).
        var info = new ProcessStartInfo("bash") { UseShellExecute = false };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add("exec dotnet \"$0\" >>\"$1\" 2>&1");
        info.ArgumentList.Add(dll);
        info.ArgumentList.Add(logPath);
        info.Environment["KUBECONFIG"] = kubeconfig;
        info.Environment["Operator__BindAddress"] = "127.0.0.1";
        info.Environment["Operator__MetricsPort"] = port.ToString(CultureInfo.InvariantCulture);
        info.Environment["Operator__LeaderElection"] = "false";
        foreach (var (k, v) in settings) info.Environment[$"Operator__{k}"] = v;
        foreach (var (k, v) in env) info.Environment[k] = v;
        var host = new OperatorHost(Process.Start(info)!, port, logPath);
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (await host.MetricsAsync() is null)
        {
            if (host.HasExited || DateTime.UtcNow > deadline)
                throw new InvalidOperationException($"operator did not serve /metrics within 60 s; see {logPath}");
            await Task.Delay(250);
        }
        return host;
    }

    public double CpuMilliseconds() => ProcStats.CpuMilliseconds(Pid);
    public double RssMiB() => ProcStats.RssMiB(Pid);

    /// <summary>isolation_operator_reconciles_total (all results) and the work queue depth; null while not serving.</summary>
    public async Task<(double Reconciles, double QueueDepth)?> MetricsAsync()
    {
        string text;
        try { text = await Http.GetStringAsync(new Uri($"http://127.0.0.1:{_port}/metrics")); }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException) { return null; }
        double reconciles = 0, depth = 0;
        foreach (var line in text.Split('\n'))
        {
            if (line.StartsWith("isolation_operator_reconciles_total{", StringComparison.Ordinal)) reconciles += Value(line);
            else if (line.StartsWith("isolation_operator_workqueue_depth ", StringComparison.Ordinal)) depth = Value(line);
        }
        return (reconciles, depth);
    }

    /// <summary>
    /// Waits until the queue is empty and the reconcile count has not moved for <paramref name="quiet"/>; returns when
    /// it last moved (or the queue last held work). <paramref name="minReconciles"/>: /metrics answers before the
    /// caches have synced, when an empty queue does not yet mean "done".
    /// </summary>
    public async Task<DateTimeOffset> WaitQuietAsync(TimeSpan quiet, TimeSpan timeout, double minReconciles = 0)
    {
        var deadline = DateTimeOffset.UtcNow + timeout;
        double last = -1;
        var since = DateTimeOffset.UtcNow;
        while (DateTimeOffset.UtcNow < deadline)
        {
            var m = await MetricsAsync();
            if (m is { } v && (v.QueueDepth > 0 || v.Reconciles != last || v.Reconciles < minReconciles)) { last = v.Reconciles; since = DateTimeOffset.UtcNow; }
            else if (m is not null && DateTimeOffset.UtcNow - since >= quiet) return since;
            await Task.Delay(250);
        }
        throw new TimeoutException($"operator did not settle within {timeout.TotalSeconds:0} s");
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(); // SIGKILL of our own child, by pid
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }

    /// <summary>Graceful stop (SIGTERM via Process.Kill would be SIGKILL): lets the operator close its watches.</summary>
    public async Task StopAsync()
    {
        if (_process.HasExited) return;
        using (var term = Process.Start("kill", ["-TERM", Pid.ToString(CultureInfo.InvariantCulture)])) await term.WaitForExitAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        try { await _process.WaitForExitAsync(cts.Token); }
        catch (OperationCanceledException) { _process.Kill(); }
    }

    private static double Value(string line) =>
        double.Parse(line[(line.LastIndexOf(' ') + 1)..], NumberStyles.Float, CultureInfo.InvariantCulture);

    private static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }
}
