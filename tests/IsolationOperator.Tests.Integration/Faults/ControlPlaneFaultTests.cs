using System.Net.Http.Json;
using System.Text.Json;
using IsolationOperator.Api.V1Alpha1;
using IsolationOperator.LocalCluster;
using IsolationOperator.Tests.Integration.Infrastructure;
using k8s;
using k8s.Models;

namespace IsolationOperator.Tests.Integration.Faults;

/// <summary>
/// Faults of the control plane itself: an API server restart and an etcd compaction that forces 410 Gone. Each test
/// starts a plane of its own, so restarting it disturbs no other test.
/// </summary>
public sealed class ControlPlaneFaultTests : IAsyncLifetime
{
    private ControlPlane _plane = null!;
    private IKubernetes Admin => _plane.AdminClient();

    public async Task InitializeAsync() => _plane = await ControlPlane.StartAsync(new ControlPlaneOptions());
    public async Task DisposeAsync() => await _plane.DisposeAsync();

    private static DemoTenant WithSecret(OperatorUnderTest op, string prefix) => op.Own(Tenants.New(UniqueName.For(prefix), s =>
        s.Secrets = [new SecretSpec { Name = "db", Keys = [new SecretKeySpec { Name = "password" }] }]));

    [LocalPlaneTheory]
    [InlineData(9, 10)]
    [InlineData(15, 10)]
    [InlineData(9, 60)]
    [InlineData(15, 60)]
    public async Task After_an_api_server_restart_drift_is_repaired_without_relists_or_new_secrets(int signal, int downSeconds)
    {
        await using var op = await OperatorUnderTest.StartAsync(_plane, UniqueName.For("restart"));
        var tenant = WithSecret(op, "restart");
        await Tenants.CreateAsync(Admin, tenant);
        await Tenants.WaitForPhaseAsync(Admin, tenant.Metadata.Name, Phases.Ready);
        var ns = tenant.Spec.Namespace!;
        var secret = await Admin.CoreV1.ReadNamespacedSecretAsync("db", ns);

        await _plane.RestartApiServerAsync(signal, TimeSpan.FromSeconds(downSeconds));
        var restarted = DateTimeOffset.UtcNow;
        await Admin.NetworkingV1.DeleteNamespacedNetworkPolicyAsync("default-deny", ns);

        // Watches reconnect with backoff (at most 32 s plus jitter), then the drift is seen and repaired.
        await Eventually.HoldsAsync("default-deny restored", async () =>
            (await Admin.NetworkingV1.ListNamespacedNetworkPolicyAsync(ns)).Items.Any(p => p.Metadata.Name == "default-deny"), TimeSpan.FromSeconds(45));
        var after = await Admin.CoreV1.ReadNamespacedSecretAsync("db", ns);
        after.Metadata.Uid.Should().Be(secret.Metadata.Uid);
        after.Data["password"].Should().Equal(secret.Data["password"]);
        // Watches resume from their resourceVersion; a restarted API server's fresh watch cache may still answer 410
        // Gone for a kind (seen for DemoTenants after a long downtime): then that kind lists once, never in a loop.
        var lists = AuditLog.Read(_plane.AuditLogPath!, op.User, restarted).Where(r => r.Verb == "list").ToList();
        lists.GroupBy(r => r.Resource).Where(g => g.Count() > 1).Select(g => $"{g.Key} x{g.Count()}").Should().BeEmpty("no list storm");
    }

    [LocalPlaneFact]
    public async Task After_a_compaction_forces_410_while_the_operator_is_stopped_every_kind_relists_and_converges()
    {
        await Crd.InstallAsync(_plane);
        var runId = UniqueName.For("compact");
        var user = UniqueName.For("compact-op");
        using var op = OperatorProcess.Start(_plane.WriteKubeconfigFor(user, "system:masters"), new Dictionary<string, string>
        {
            ["MetricsPort"] = OperatorProcess.FreePort().ToString(),
            ["LeaderElection"] = "false",
            ["TenantSelector"] = $"{OperatorUnderTest.RunLabel}={runId}",
        });
        DemoTenant Mine(DemoTenant t) { t.Metadata.Labels = new Dictionary<string, string> { [OperatorUnderTest.RunLabel] = runId }; return t; }
        var kept = Mine(Tenants.New(UniqueName.For("kept"), s => s.Secrets = [new SecretSpec { Name = "db", Keys = [new SecretKeySpec { Name = "password" }] }]));
        var doomed = Mine(Tenants.New(UniqueName.For("doomed")));
        await Tenants.CreateAsync(Admin, kept);
        await Tenants.CreateAsync(Admin, doomed);
        await Tenants.WaitForPhaseAsync(Admin, kept.Metadata.Name, Phases.Ready);
        await Tenants.WaitForPhaseAsync(Admin, doomed.Metadata.Name, Phases.Ready);
        var secret = await Admin.CoreV1.ReadNamespacedSecretAsync("db", kept.Spec.Namespace);

        op.Signal(19); // SIGSTOP: the operator sees nothing of what follows
        await Admin.NetworkingV1.DeleteNamespacedNetworkPolicyAsync("default-deny", kept.Spec.Namespace);
        var newcomer = Mine(Tenants.New(UniqueName.For("new")));
        await Tenants.CreateAsync(Admin, newcomer);
        await Tenants.DeleteAsync(Admin, doomed.Metadata.Name);
        await CompactEtcdAsync();
        // A fresh apiserver watch cache: resuming from a compacted resourceVersion now answers 410 Gone.
        await _plane.RestartApiServerAsync(15, TimeSpan.FromSeconds(1));
        var resumed = DateTimeOffset.UtcNow;
        op.Signal(18); // SIGCONT

        await Eventually.HoldsAsync("default-deny restored", async () =>
            (await Admin.NetworkingV1.ListNamespacedNetworkPolicyAsync(kept.Spec.Namespace)).Items.Any(p => p.Metadata.Name == "default-deny"), TimeSpan.FromSeconds(60));
        await Tenants.WaitForPhaseAsync(Admin, newcomer.Metadata.Name, Phases.Ready, TimeSpan.FromSeconds(30));
        await Eventually.HoldsAsync("deleted tenant finalised", async () => await Tenants.GetAsync(Admin, doomed.Metadata.Name) is null, TimeSpan.FromSeconds(60));
        (DateTimeOffset.UtcNow - resumed).Should().BeLessThan(TimeSpan.FromSeconds(60));
        var after = await Admin.CoreV1.ReadNamespacedSecretAsync("db", kept.Spec.Namespace);
        after.Metadata.Uid.Should().Be(secret.Metadata.Uid);
        after.Data["password"].Should().Equal(secret.Data["password"]);
        var relisted = AuditLog.Read(_plane.AuditLogPath!, user, resumed).Where(r => r.Verb == "list").Select(r => r.Resource).Distinct().ToList();
        relisted.Should().Contain(["demotenants", "namespaces", "networkpolicies"], "each kind whose watch got 410 Gone lists again");
    }

    /// <summary>Compacts etcd's history up to now, through its JSON gateway (no etcdctl needed).</summary>
    private async Task CompactEtcdAsync()
    {
        using var http = new HttpClient { BaseAddress = new Uri(_plane.EtcdClientUrl) };
        var range = await (await http.PostAsJsonAsync("/v3/kv/range", new { key = Convert.ToBase64String("compact-probe"u8.ToArray()) })).Content.ReadFromJsonAsync<JsonElement>();
        var revision = long.Parse(range.GetProperty("header").GetProperty("revision").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
        var compacted = await http.PostAsJsonAsync("/v3/kv/compaction", new { revision, physical = true });
        compacted.EnsureSuccessStatusCode();
    }
}
