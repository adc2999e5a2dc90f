using System.Collections.Concurrent;
using System.Net;
using System.Text;
using IsolationOperator.Api.V1Alpha1;
using IsolationOperator.Engine;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;

namespace IsolationOperator.Tests.Unit.Engine;

/// <summary>A reconcile queues its events; one writer sends them, in order, and a clean stop still sends what was queued.</summary>
public sealed class EventRecorderTests
{
    private static DemoTenant Tenant(string name) => new() { Metadata = new V1ObjectMeta { Name = name, Uid = Guid.NewGuid().ToString() } };

    private static (EventRecorder Recorder, ApiServerDouble Api) Recorder()
    {
        var api = new ApiServerDouble();
        var client = new Kubernetes(new KubernetesClientConfiguration { Host = "https://127.0.0.1:6443" }, api);
        return (new EventRecorder(client, "test", NullLogger<EventRecorder>.Instance), api);
    }

    [Fact]
    public async Task Recording_sends_nothing_itself_and_the_writer_sends_the_events_in_order()
    {
        var (recorder, api) = Recorder();
        recorder.Record(Tenant("acme"), EventRecorder.Normal, "Provisioned", "Create", "first");
        recorder.Record(Tenant("acme"), EventRecorder.Normal, "Updated", "Update", "second");
        recorder.Record(Tenant("globex"), EventRecorder.Warning, "InvalidSpec", "Validate", "third");
        api.Requests.Should().BeEmpty("a pass does not wait for its events");
        recorder.Pending.Should().Be(3);

        using var stop = new CancellationTokenSource();
        var writer = recorder.RunAsync(TimeSpan.FromSeconds(3), stop.Token);
        await WaitUntil(() => api.Requests.Count == 3);
        await stop.CancelAsync();
        await writer;

        api.Requests.Select(r => r.Note).Should().Equal("first", "second", "third");
        api.Requests.Should().OnlyContain(r => r.Method == "POST" && r.Path == "/apis/events.k8s.io/v1/namespaces/kube-system/events");
    }

    [Fact]
    public async Task A_stopping_writer_still_sends_what_was_queued_and_then_takes_no_more()
    {
        var (recorder, api) = Recorder();
        using var stop = new CancellationTokenSource();
        await stop.CancelAsync();
        recorder.Record(Tenant("acme"), EventRecorder.Normal, "Deleting", "Delete", "last pass");

        await recorder.RunAsync(TimeSpan.FromSeconds(3), stop.Token);

        api.Requests.Select(r => r.Note).Should().Equal("last pass");
        var dropped = OperatorMetrics.EventsDropped.Value;
        recorder.Record(Tenant("acme"), EventRecorder.Normal, "Late", "Delete", "after the stop");
        OperatorMetrics.EventsDropped.Value.Should().Be(dropped + 1, "nothing writes it any more: it is counted as dropped");
    }

    [Fact]
    public void A_full_queue_drops_the_new_event_and_counts_it()
    {
        var (recorder, _) = Recorder();
        for (var i = 0; i < EventRecorder.QueueCapacity; i++) recorder.Record(Tenant($"t{i}"), EventRecorder.Normal, "Provisioned", "Create", "n");
        var dropped = OperatorMetrics.EventsDropped.Value;

        recorder.Record(Tenant("one-too-many"), EventRecorder.Normal, "Provisioned", "Create", "n");

        recorder.Pending.Should().Be(EventRecorder.QueueCapacity);
        OperatorMetrics.EventsDropped.Value.Should().Be(dropped + 1);
    }

    [Fact]
    public async Task A_repeat_within_the_window_is_counted_on_the_first_event()
    {
        var (recorder, api) = Recorder();
        recorder.Record(Tenant("acme"), EventRecorder.Warning, "DriftCorrected", "Repair", "same");
        recorder.Record(Tenant("acme"), EventRecorder.Warning, "DriftCorrected", "Repair", "same");
        using var stop = new CancellationTokenSource();
        await stop.CancelAsync();

        await recorder.RunAsync(TimeSpan.FromSeconds(3), stop.Token);

        api.Requests.Select(r => r.Method).Should().Equal("POST", "PATCH");
        api.Requests[1].Body.Should().Contain("\"count\":2");
    }

    private static async Task WaitUntil(Func<bool> condition)
    {
        var until = DateTime.UtcNow.AddSeconds(10);
        while (!condition() && DateTime.UtcNow < until) await Task.Delay(10);
        condition().Should().BeTrue();
    }

    /// <summary>Answers every request with 201 and the body it was sent, and remembers what came.</summary>
    private sealed class ApiServerDouble : DelegatingHandler
    {
        private readonly ConcurrentQueue<(string Method, string Path, string Body, string? Note)> _requests = new();
        public IReadOnlyList<(string Method, string Path, string Body, string? Note)> Requests => _requests.ToList();

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var body = request.Content is null ? "" : await request.Content.ReadAsStringAsync(cancellationToken);
            var note = request.Method == HttpMethod.Post ? KubernetesJson.Deserialize<Eventsv1Event>(body).Note : null;
            _requests.Enqueue((request.Method.Method, request.RequestUri!.AbsolutePath, body, note));
            var reply = request.Method == HttpMethod.Post ? body : """{"apiVersion":"events.k8s.io/v1","kind":"Event","metadata":{"name":"x"}}""";
            return new HttpResponseMessage(HttpStatusCode.Created) { Content = new StringContent(reply, Encoding.UTF8, "application/json") };
        }
    }
}
