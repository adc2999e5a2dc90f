using IsolationOperator.Api.V1Alpha1;
using IsolationOperator.Hosting;
using IsolationOperator.LocalCluster;
using k8s;
using Microsoft.Extensions.Logging;

namespace IsolationOperator.Tests.Integration.Infrastructure;

/// <summary>
/// The operator running in the test process against the real control plane, as its own user (so the audit log
/// tells its requests apart) with the chart's RBAC (<see cref="ChartPermissions"/>) and limited by a label selector to the tenants of one test class, so classes can run
/// in parallel without two operators fighting over a tenant.
/// </summary>
public sealed class OperatorUnderTest : IAsyncDisposable
{
    public const string RunLabel = "isolation.demo.dev/test-run";
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _run;

    private OperatorUnderTest(ControlPlane plane, string runId, string user, OperatorOptions options, TimeProvider time, DelegatingHandler[] handlers, string? server)
    {
        RunId = runId;
        User = user;
        Options = options;
        // With the chart's permissions, not as cluster admin; webhook tests register configurations themselves,
        // which the chart does for a real installation, so they run as admin.
        var group = options.Webhook.Enabled ? "system:masters" : ChartPermissions.Group;
        if (plane.IsExistingCluster && handlers.Length == 0 && server is null) Client = plane.ClientFor(user, group);
        else
        {
            // As the operator's own Program builds it (keep-alive pings, buffered responses), pointed at a proxy or
            // through test doubles when a test asks.
            var config = KubernetesConnection.Harden(plane.ConfigFor(user, group));
            if (server is not null) config.Host = server;
            Client = KubernetesConnection.NewClient(config, handlers);
        }
        var runtime = new OperatorRuntime(Client, options, time, Logs) { AuditOutput = AuditLines };
        _run = Task.Run(() => runtime.RunAsync(_stop.Token));
    }

    public string RunId { get; }
    public string User { get; }
    public OperatorOptions Options { get; }
    public IKubernetes Client { get; }
    /// <summary>The audit JSON lines this operator wrote (its stdout in a real deployment).</summary>
    public AuditLineSink AuditLines { get; } = new();

    public static ILoggerFactory Logs { get; } = LoggerFactory.Create(b => b.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Debug)
        .AddFilter<Microsoft.Extensions.Logging.Console.ConsoleLoggerProvider>(null, LogLevel.Information).AddProvider(CapturedLogs.Instance));

    /// <param name="time">The operator's clock (a skewed one in clock tests); the system clock by default.</param>
    /// <param name="handlers">HTTP test doubles between the operator and the API server (faults, cut-offs).</param>
    /// <param name="server">Another address for the API server (a fault-injecting proxy).</param>
    /// <param name="user">The operator's user name; a restart of the same operator passes the first one's.</param>
    public static async Task<OperatorUnderTest> StartAsync(ControlPlane plane, string runId, Action<OperatorOptions>? configure = null,
        TimeProvider? time = null, string? server = null, string? user = null, params DelegatingHandler[] handlers)
    {
        await Crd.InstallAsync(plane);
        var options = new OperatorOptions
        {
            LeaderElection = false,
            TenantSelector = $"{RunLabel}={runId}",
            Identity = $"test-{runId}",
            Workers = 2,
            // Verification (SubjectAccessReviews, cluster-wide lists) has tests of its own, which turn it on.
            VerificationPeriod = TimeSpan.Zero,
            // Where the chart keeps it: the release namespace, with its key Secret.
            Audit = new Audit.AuditOptions { Namespace = ChartPermissions.ReleaseNamespace, KeySecret = ChartPermissions.AuditKeySecret },
        };
        configure?.Invoke(options);
        user ??= UniqueName.For("operator");
        await ChartPermissions.InstallAsync(plane);
        if (!options.Webhook.Enabled)
        {
            // As the chart configures it: the operator binds itself, by its user name, in each demo namespace.
            options.TenantNamespaceRole ??= ChartPermissions.InTenantNamespacesRole;
            options.Admission.OperatorUser ??= user;
        }
        return new OperatorUnderTest(plane, runId, user, options, time ?? TimeProvider.System, handlers, server);
    }

    /// <summary>Labels a tenant so that this operator (and no other test's) handles it.</summary>
    public DemoTenant Own(DemoTenant tenant)
    {
        tenant.Metadata.Labels ??= new Dictionary<string, string>();
        tenant.Metadata.Labels[RunLabel] = RunId;
        return tenant;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _run.WaitAsync(TimeSpan.FromSeconds(20)).ContinueWith(_ => { }, TaskScheduler.Default);
        _stop.Dispose();
    }
}

/// <summary>Collects whole lines written to it, for tests that read what the operator printed.</summary>
public sealed class AuditLineSink : TextWriter
{
    private readonly List<string> _lines = [];
    private readonly System.Text.StringBuilder _partial = new();

    public override System.Text.Encoding Encoding => System.Text.Encoding.UTF8;

    public IReadOnlyList<string> Lines { get { lock (_lines) return [.. _lines]; } }

    public override void Write(char value)
    {
        lock (_lines)
        {
            if (value == '\n') { _lines.Add(_partial.ToString().TrimEnd('\r')); _partial.Clear(); }
            else _partial.Append(value);
        }
    }

    public override Task WriteLineAsync(string? value)
    {
        lock (_lines) _lines.Add(value ?? "");
        return Task.CompletedTask;
    }
}
