using IsolationOperator.Engine;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace IsolationOperator.Hosting;

/// <summary>
/// Runs the operator for the lifetime of the host; SIGTERM cancels it and the host waits for it to stop.
/// When the operator ends on its own (leadership lost, a fault) the host stops with a non-zero exit code: the host's
/// own handling of a failed BackgroundService stops it but leaves the exit code 0, which hides the crash from Kubernetes.
/// </summary>
public sealed class OperatorService : BackgroundService
{
    private readonly Func<CancellationToken, Task> _run;
    private readonly IHostApplicationLifetime _lifetime;
    private readonly ILogger _log;
    private readonly Action<int> _setExitCode;

    public OperatorService(OperatorRuntime runtime, IHostApplicationLifetime lifetime, ILogger<OperatorService> log)
        : this(runtime.RunAsync, lifetime, log, code => Environment.ExitCode = code)
    {
    }

    internal OperatorService(Func<CancellationToken, Task> run, IHostApplicationLifetime lifetime, ILogger log, Action<int> setExitCode)
    {
        _run = run;
        _lifetime = lifetime;
        _log = log;
        _setExitCode = setExitCode;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await _run(stoppingToken);
            if (!stoppingToken.IsCancellationRequested) Stop(ExitCodes.Faulted, "the operator stopped without being asked to");
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        catch (LeadershipLostException e)
        {
            Stop(ExitCodes.LeadershipLost, $"{e.Message}; exiting to restart with fresh caches");
        }
        catch (Exception e)
        {
            _log.LogCritical(e, "the operator loop failed");
            Stop(ExitCodes.Faulted, $"the operator loop failed: {e.Message}");
        }
    }

    private void Stop(int code, string why)
    {
        _log.LogCritical("{Reason} (exit code {Code})", why, code);
        _setExitCode(code);
        _lifetime.StopApplication();
    }
}
