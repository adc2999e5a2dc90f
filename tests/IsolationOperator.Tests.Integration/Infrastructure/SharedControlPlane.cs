using IsolationOperator.LocalCluster;

namespace IsolationOperator.Tests.Integration.Infrastructure;

/// <summary>
/// The one control plane of a test run, shared by every integration test class (starting one takes seconds).
/// Started on first use; stopped after the last test (<see cref="IntegrationTestFramework"/>), else at process
/// exit, else by the plane's watchdog if the test host is killed.
/// Honors USE_EXISTING_CLUSTER=true / KUBEBUILDER_ASSETS like <see cref="ControlPlane.StartAsync"/>.
/// Tests must therefore use unique names (<see cref="UniqueName"/>) and clean up after themselves.
/// </summary>
public static class SharedControlPlane
{
    // ExecutionAndPublication: classes in different collections run in parallel, yet only one plane may start.
    // A failed start stays cached, so every test reports the same start error instead of retrying for minutes.
    private static readonly Lazy<Task<ControlPlane>> Plane =
        new(() => Task.Run(StartAsync), LazyThreadSafetyMode.ExecutionAndPublication);

    public static Task<ControlPlane> GetAsync() => Plane.Value;

    /// <summary>Called once after the last test (see <see cref="IntegrationTestFramework"/>); a no-op if never started.</summary>
    internal static async Task StopAsync()
    {
        if (Plane.IsValueCreated && Plane.Value is { IsCompletedSuccessfully: true } started)
        {
            await (await started).DisposeAsync();
        }
    }

    private static async Task<ControlPlane> StartAsync()
    {
        var plane = await ControlPlane.StartAsync(new ControlPlaneOptions()).ConfigureAwait(false);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => plane.DisposeAsync().AsTask().Wait(TimeSpan.FromSeconds(15));
        return plane;
    }
}

/// <summary>
/// xunit entry point: <c>public sealed class MyTests(ControlPlaneFixture fixture) : IClassFixture&lt;ControlPlaneFixture&gt;</c>,
/// then <c>fixture.Plane</c>. Disposing the fixture does not stop the shared plane.
/// </summary>
public sealed class ControlPlaneFixture : IAsyncLifetime
{
    private ControlPlane? _plane;

    public ControlPlane Plane => _plane ?? throw new InvalidOperationException("fixture not initialized");

    public async Task InitializeAsync() => _plane = await SharedControlPlane.GetAsync();

    public Task DisposeAsync() => Task.CompletedTask;
}
