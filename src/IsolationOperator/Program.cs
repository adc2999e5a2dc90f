using IsolationOperator.Hosting;
using IsolationOperator.Verification;
using k8s;
using Prometheus;
using Serilog;
using Serilog.Formatting.Compact;

// `isolation-operator verify [TENANT] [--json]`: the verifier on demand, with the caller's kubeconfig; no operator.
if (args.Length > 0 && args[0] == VerifyCommand.Name) return await VerifyCommand.RunAsync(args[1..], Console.Out, Console.Error);
// `isolation-operator audit show TENANT | verify [TENANT] | rotate-key`: the audit trail, with the caller's kubeconfig.
if (args.Length > 0 && args[0] == IsolationOperator.Audit.AuditCommand.Name) return await IsolationOperator.Audit.AuditCommand.RunAsync(args[1..], Console.Out, Console.Error);

// JSON logs for machines (not a terminal), readable lines for people.
var logConfig = new LoggerConfiguration()
    .MinimumLevel.Information()
    .MinimumLevel.Override("Microsoft", Serilog.Events.LogEventLevel.Warning)
    .MinimumLevel.Override("System.Net.Http", Serilog.Events.LogEventLevel.Warning)
    .Enrich.FromLogContext();
logConfig = Console.IsOutputRedirected
    ? logConfig.WriteTo.Console(new RenderedCompactJsonFormatter())
    : logConfig.WriteTo.Console(outputTemplate: "{Timestamp:HH:mm:ss} {Level:u3} {Message:lj}{NewLine}{Exception}");
Log.Logger = logConfig.CreateLogger();

try
{
    var builder = WebApplication.CreateBuilder(args);
    builder.Host.UseSerilog();
    var options = builder.Configuration.GetSection("Operator").Get<OperatorOptions>() ?? new OperatorOptions();
    // A bad prefix, subject or lease timing stops the start with its message, not the first reconcile.
    try
    {
        options.ToPlannerPolicy();
        if (options.LeaderElection) options.ToLeaseTimings();
        options.Webhook.Validate();
    }
    catch (InvalidOperationException e)
    {
        Log.Fatal("invalid configuration: {Message}", e.Message);
        return ExitCodes.StartFailed;
    }

    var config = KubernetesConnection.LoadConfig();
    var client = KubernetesConnection.NewClient(config);
    var serverVersion = await KubernetesConnection.CheckAsync(client, config.Host, TimeSpan.FromSeconds(10), CancellationToken.None);
    Log.Information("isolation-operator {Version} connected to {Server} (Kubernetes {ServerVersion}) as {Identity}",
        BuildInfo.Version, config.Host, serverVersion, options.EffectiveIdentity);

    builder.WebHost.UseUrls($"http://{options.BindAddress}:{options.MetricsPort}");
    builder.Services.AddSingleton<IKubernetes>(client);
    builder.Services.AddSingleton(options);
    builder.Services.AddSingleton(TimeProvider.System);
    // The controller gets its own client whose writes pass only while this replica holds the Lease.
    builder.Services.AddSingleton(sp => new OperatorRuntime(client, options, TimeProvider.System, sp.GetRequiredService<ILoggerFactory>(),
        fence => KubernetesConnection.NewClient(config, fence)));
    builder.Services.AddHostedService<OperatorService>();
    builder.Services.AddHostedService<IdleHeapCompactor>();
    builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(20));

    var app = builder.Build();
    app.MapGet("/healthz", (OperatorRuntime rt) => rt.HealthProblem is { } problem ? Results.Text(problem, statusCode: 503) : Results.Text("ok"));
    app.MapGet("/readyz", (OperatorRuntime rt) => rt.Ready ? Results.Text("ok") : Results.Text("caches not synced", statusCode: 503));
    app.MapMetrics("/metrics");
    await app.RunAsync();
    // OperatorService sets a non-zero code when the operator ended on its own (ExitCodes).
    Log.Information("isolation-operator stopped (exit code {Code})", Environment.ExitCode);
    return Environment.ExitCode;
}
catch (ConnectionException e)
{
    // One clear line, no stack trace: the usual cause is a wrong or missing kubeconfig.
    Log.Fatal("{Message}", e.Message);
    return ExitCodes.StartFailed;
}
finally
{
    await Log.CloseAndFlushAsync();
}
