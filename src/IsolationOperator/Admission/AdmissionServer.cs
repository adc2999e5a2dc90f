using System.Net;
using IsolationOperator.Engine;
using IsolationOperator.Hosting;
using k8s;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Logging;

namespace IsolationOperator.Admission;

/// <summary>
/// The webhooks' HTTPS endpoint: its own Kestrel on Operator__Webhook__Host:Port, on every replica (leader or not).
/// The certificate is chosen per handshake from <see cref="ServingCertificates"/>, so a renewal takes effect without
/// a restart and without a refused connection. Started and stopped by <see cref="OperatorRuntime"/>, so the tests,
/// which run the runtime in-process, get the same server as the binary.
/// </summary>
public sealed class AdmissionServer : IAsyncDisposable
{
    private readonly WebhookOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _log;
    private readonly ServingCertificates _certificates;
    private readonly WebhookRegistrar _registrar;
    private readonly AdmissionDispatcher _dispatcher;
    private readonly CancellationTokenSource _stop = new();
    private WebApplication? _app;
    private Task? _maintenance;

    public AdmissionServer(IKubernetes client, OperatorOptions options, TimeProvider time, ILoggerFactory logs, Func<ClusterCache?> cache)
    {
        _options = options.Webhook;
        _time = time;
        _log = logs.CreateLogger<AdmissionServer>();
        var context = new AdmissionContext(client, options, cache, time, logs);
        _dispatcher = new AdmissionDispatcher(AdmissionReviewers.All(context), _log);
        _certificates = new ServingCertificates(client, _options, options.EffectiveLeaseNamespace, time, logs.CreateLogger<ServingCertificates>());
        _registrar = new WebhookRegistrar(client, _options, options.TenantSelector, _dispatcher.Reviewers, logs.CreateLogger<WebhookRegistrar>());
    }

    public IReadOnlyCollection<IAdmissionReviewer> Reviewers => _dispatcher.Reviewers;

    /// <summary>
    /// Gets a certificate (retrying until the API answers), starts listening, then registers the configurations.
    /// Throws only when the port cannot be bound (a clear start error).
    /// </summary>
    public async Task StartAsync(CancellationToken ct)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, _stop.Token);
        var delay = TimeSpan.FromSeconds(1);
        while (true)
        {
            try
            {
                await _certificates.RefreshAsync(linked.Token);
                break;
            }
            catch (Exception e) when (!linked.IsCancellationRequested)
            {
                _log.LogWarning("webhook certificate not ready, retrying in {Delay}s: {Error}", delay.TotalSeconds, ApiErrors.Message(e));
                await Task.Delay(delay, _time, linked.Token);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(30).Ticks));
            }
        }

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.AddServerHeader = false;
            k.Limits.MaxRequestBodySize = 8 * 1024 * 1024;
            void Https(ListenOptions l) => l.UseHttps(h => h.ServerCertificateSelector = (_, _) => _certificates.Current);
            if (IPAddress.TryParse(_options.Host, out var ip)) k.Listen(ip, _options.Port, Https);
            else if (_options.Host == "localhost") k.ListenLocalhost(_options.Port, Https);
            else k.ListenAnyIP(_options.Port, Https);
        });
        var app = builder.Build();
        app.Run(HandleAsync);
        await app.StartAsync(ct);
        _app = app;
        _log.LogInformation("admission webhooks serving on {Url} ({Paths})", _options.BaseUrl, string.Join(", ", _dispatcher.Reviewers.Select(r => r.Path).Order()));
        await RegisterAsync(linked.Token);
        _maintenance = Task.Run(() => MaintainAsync(_stop.Token), CancellationToken.None);
    }

    private async Task HandleAsync(HttpContext http)
    {
        if (!HttpMethods.IsPost(http.Request.Method))
        {
            http.Response.StatusCode = StatusCodes.Status405MethodNotAllowed;
            return;
        }
        using var body = new MemoryStream();
        await http.Request.Body.CopyToAsync(body, http.RequestAborted);
        var result = await _dispatcher.HandleAsync(http.Request.Path.Value ?? "/", body.GetBuffer().AsMemory(0, (int)body.Length), http.RequestAborted);
        http.Response.StatusCode = result.StatusCode;
        http.Response.ContentType = result.ContentType;
        await http.Response.Body.WriteAsync(result.Body, http.RequestAborted);
    }

    private async Task RegisterAsync(CancellationToken ct)
    {
        try { await _registrar.EnsureAsync(_certificates.CaBundle, ct); }
        catch (Exception e) when (!ct.IsCancellationRequested)
        {
            _log.LogWarning("webhook configurations not written yet (retried every {Period}s): {Error}", _options.EffectiveCheckPeriod.TotalSeconds, ApiErrors.Message(e));
        }
    }

    /// <summary>Every check period: renew or pick up the certificate, and put the caBundle back if someone removed it.</summary>
    private async Task MaintainAsync(CancellationToken ct)
    {
        using var timer = new PeriodicTimer(_options.EffectiveCheckPeriod, _time);
        try
        {
            while (await timer.WaitForNextTickAsync(ct))
            {
                try { await _certificates.RefreshAsync(ct); }
                catch (Exception e) when (!ct.IsCancellationRequested)
                {
                    _log.LogWarning("webhook certificate check failed (the current one is kept): {Error}", ApiErrors.Message(e));
                }
                await RegisterAsync(ct);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested) { }
    }

    /// <summary>Stops serving. The configurations stay: with no operator to answer, the API server refuses (fail closed).</summary>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        if (_maintenance is not null) await _maintenance.ContinueWith(_ => { }, TaskScheduler.Default);
        if (_app is not null)
        {
            using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await _app.StopAsync(grace.Token).ContinueWith(_ => { }, TaskScheduler.Default);
            await _app.DisposeAsync();
        }
        _stop.Dispose();
    }
}
