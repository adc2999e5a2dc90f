using Microsoft.Extensions.Hosting;

namespace IsolationOperator.Hosting;

/// <summary>Runs the operator for the lifetime of the host; SIGTERM cancels it and the host waits for it to stop.</summary>
public sealed class OperatorService(OperatorRuntime runtime) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) => runtime.RunAsync(stoppingToken);
}
