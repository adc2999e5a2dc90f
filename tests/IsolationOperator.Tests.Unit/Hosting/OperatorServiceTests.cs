using IsolationOperator.Engine;
using IsolationOperator.Hosting;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;

namespace IsolationOperator.Tests.Unit.Hosting;

/// <summary>How the operator loop's end becomes the process's exit code (Kubernetes restarts on non-zero).</summary>
public class OperatorServiceTests
{
    private readonly Lifetime _lifetime = new();
    private int? _exitCode;

    private async Task RunAsync(Func<CancellationToken, Task> loop, bool sigterm = false)
    {
        var running = new TaskCompletionSource();
        var service = new OperatorService(ct => { running.TrySetResult(); return loop(ct); }, _lifetime, NullLogger.Instance, code => _exitCode = code);
        await service.StartAsync(CancellationToken.None);
        await running.Task.WaitAsync(TimeSpan.FromSeconds(5)); // a stop before the loop ran would cancel it unrun
        if (sigterm) await service.StopAsync(CancellationToken.None);
        await service.ExecuteTask!.WaitAsync(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task A_faulted_operator_loop_stops_the_host_with_a_non_zero_exit_code()
    {
        await RunAsync(async _ => { await Task.Yield(); throw new InvalidOperationException("boom"); });

        _exitCode.Should().Be(ExitCodes.Faulted);
        _lifetime.Stopped.Should().BeTrue();
    }

    [Fact]
    public async Task A_lost_lease_stops_the_host_with_its_own_exit_code()
    {
        await RunAsync(async _ => { await Task.Yield(); throw new LeadershipLostException("lease held by b"); });

        _exitCode.Should().Be(ExitCodes.LeadershipLost);
        _lifetime.Stopped.Should().BeTrue();
    }

    [Fact]
    public async Task A_loop_that_ends_without_being_asked_to_is_a_fault()
    {
        await RunAsync(_ => Task.CompletedTask);

        _exitCode.Should().Be(ExitCodes.Faulted);
    }

    [Fact]
    public async Task Sigterm_leaves_the_exit_code_alone()
    {
        await RunAsync(ct => Task.Delay(Timeout.Infinite, ct), sigterm: true);

        _exitCode.Should().BeNull();
        _lifetime.Stopped.Should().BeFalse("the host is already stopping");
    }

    private sealed class Lifetime : IHostApplicationLifetime
    {
        public bool Stopped { get; private set; }
        public CancellationToken ApplicationStarted => CancellationToken.None;
        public CancellationToken ApplicationStopping => CancellationToken.None;
        public CancellationToken ApplicationStopped => CancellationToken.None;
        public void StopApplication() => Stopped = true;
    }
}
