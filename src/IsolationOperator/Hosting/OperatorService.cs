using IsolationOperator.Engine;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace IsolationOperator.Hosting;

/// <summary>
/// Runs the operator for the lifetime of the host; SIGTERM cancels it and the host waits for it to stop.
/// When the operator ends on its own (leadership lost, a fault) the host stops with a non-zero exit code: the host's
/// own handling of a failed BackgroundService stops it but leaves the exit code 0, which hides the crash from Kubernetes.
/// </summary>
public sealed class OperatorService(OperatorRuntime runtime, IHostApplicationLifetime lifetime, ILogger<OperatorService> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await runtime.RunAsync(stoppingToken);
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
            log.LogCritical(e, "the operator loop failed");
            Stop(ExitCodes.Faulted, $"the operator loop failed: {e.Message}");
        }
    }

    private void Stop(int code, string why)
    {
        log.LogCritical("{Reason} (exit code {Code})", why, code);
        Environment.ExitCode = code;
        lifetime.StopApplication();
    }
}
