using IsolationOperator.Audit;
using IsolationOperator.LocalCluster;
using k8s;

namespace IsolationOperator.Tests.Integration.Infrastructure;

/// <summary>A demo's audit trail read back as the CLI reads it (the operator's own library code), with the suite's key.</summary>
public static class AuditTrails
{
    public static AuditStore Store(IKubernetes admin, string ns = ChartPermissions.ReleaseNamespace) => new(admin, ns);

    public static async Task<StoredTrail?> ReadAsync(IKubernetes admin, string uid, string ns = ChartPermissions.ReleaseNamespace) =>
        await Store(admin, ns).ReadTrailAsync(uid, CancellationToken.None);

    public static async Task<ChainVerdict> VerifyAsync(IKubernetes admin, string uid, string ns = ChartPermissions.ReleaseNamespace,
        string key = ChartPermissions.AuditKeySecret)
    {
        var trail = await ReadAsync(admin, uid, ns) ?? throw new InvalidOperationException($"no audit trail for {uid}");
        var keys = await new AuditKeys(admin, ns, key, TimeProvider.System).AllAsync(CancellationToken.None);
        return AuditChain.Verify(trail.Records, keys, trail.Head.Head);
    }

    public static async Task EnsureKeyAsync(ControlPlane plane)
    {
        await ChartPermissions.InstallAsync(plane);
        await new AuditKeys(plane.AdminClient(), ChartPermissions.ReleaseNamespace, ChartPermissions.AuditKeySecret, TimeProvider.System).CurrentAsync(CancellationToken.None);
    }

    /// <summary>Waits until the trail holds a record of each action named (in any order among the others).</summary>
    public static Task<StoredTrail> WaitForAsync(IKubernetes admin, string uid, params string[] actions) =>
        Eventually.GetAsync($"audit records {string.Join(", ", actions)}", async () =>
        {
            var t = await ReadAsync(admin, uid);
            return t is not null && actions.All(a => t.Records.Any(r => r.Action == a)) ? t : null;
        }, TimeSpan.FromSeconds(40));

    /// <summary>`isolation-operator audit ...` against the suite's release namespace and key.</summary>
    public static Task<(int ExitCode, string Stdout, string Stderr)> CommandAsync(ControlPlane plane, params string[] args) =>
        OperatorProcess.RunCommandAsync(plane.KubeconfigPath, ["audit", .. args, "--namespace", ChartPermissions.ReleaseNamespace, "--key-secret", ChartPermissions.AuditKeySecret]);
}
