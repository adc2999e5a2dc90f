using IsolationOperator.Api.V1Alpha1;
using IsolationOperator.LocalCluster;
using k8s;

namespace IsolationOperator.Tests.Integration.Infrastructure;

/// <summary>
/// Operator processes competing for one Lease with short timings, each as its own user (its identity is its user
/// name, so the Lease and the audit log name the same replica) and each handling only this run's tenants.
/// </summary>
public sealed class LeaseContenders(ControlPlane plane)
{
    // Short, but with room for a renewal to take seconds on a loaded 2-core machine while the process starts up.
    public static readonly TimeSpan LeaseDuration = TimeSpan.FromSeconds(6);
    public static readonly TimeSpan RenewDeadline = TimeSpan.FromSeconds(5);
    public static readonly TimeSpan RetryPeriod = TimeSpan.FromSeconds(1);
    public const string LeaseNamespace = "default";

    public string RunId { get; } = UniqueName.For("lc");
    public string Lease { get; } = UniqueName.For("lease");
    private IKubernetes Admin => plane.AdminClient();

    public string User(string replica) => $"replica-{replica}-{RunId}";

    public OperatorProcess Start(string user) => OperatorProcess.Start(plane.WriteKubeconfigFor(user, "system:masters"), new Dictionary<string, string>
    {
        ["MetricsPort"] = OperatorProcess.FreePort().ToString(),
        ["LeaseNamespace"] = LeaseNamespace,
        ["LeaseName"] = Lease,
        ["Identity"] = user,
        ["TenantSelector"] = $"{OperatorUnderTest.RunLabel}={RunId}",
        ["LeaseDuration"] = LeaseDuration.ToString(),
        ["RenewDeadline"] = RenewDeadline.ToString(),
        ["RetryPeriod"] = RetryPeriod.ToString(),
    });

    /// <summary>Starts the leader, waits until it leads with synced caches, then starts a standby that has seen it.</summary>
    public async Task<(OperatorProcess Leader, OperatorProcess Standby)> StartLeaderAndStandbyAsync(string leader, string standby)
    {
        var a = Start(leader);
        await WithOutputAsync(a, Eventually.HoldsAsync($"{leader} holds the lease with synced caches", async () =>
            await HolderAsync() == leader && a.Output.Contains("caches synced")));
        var b = Start(standby);
        await WithOutputAsync(b, Eventually.HoldsAsync($"{standby} is up as standby",
            () => Task.FromResult(b.Output.Contains("current leader") && b.Output.Contains(leader))));
        return (a, b);
    }

    /// <summary>A replica that did not get there says why in its own log.</summary>
    public static async Task WithOutputAsync(OperatorProcess replica, Task waiting)
    {
        try { await waiting; }
        catch (TimeoutException e) { throw new TimeoutException($"{e.Message}; its output:\n{replica.Output}", e); }
    }

    public async Task<string?> HolderAsync() =>
        (await Admin.CoordinationV1.ReadNamespacedLeaseAsync(Lease, LeaseNamespace)).Spec.HolderIdentity;

    public DemoTenant NewTenant()
    {
        var tenant = Tenants.New(UniqueName.For("lc"));
        tenant.Metadata.Labels = new Dictionary<string, string> { [OperatorUnderTest.RunLabel] = RunId };
        return tenant;
    }
}
