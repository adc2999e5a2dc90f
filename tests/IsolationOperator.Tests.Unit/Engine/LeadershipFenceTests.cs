using System.Net;
using IsolationOperator.Engine;
using Microsoft.Extensions.Time.Testing;

namespace IsolationOperator.Tests.Unit.Engine;

public class LeadershipFenceTests
{
    private readonly FakeTimeProvider _time = new();

    [Fact]
    public void The_fence_is_open_until_the_renew_deadline_after_the_renewal_was_sent()
    {
        var fence = new LeadershipFence(_time);
        fence.IsOpen.Should().BeFalse("a replica that never acquired the lease may not write");

        var sent = _time.GetTimestamp();
        _time.Advance(TimeSpan.FromMilliseconds(300)); // the renewal's round trip
        fence.OpenFor(sent, TimeSpan.FromSeconds(3));
        _time.Advance(TimeSpan.FromSeconds(2.6));
        fence.IsOpen.Should().BeTrue();

        _time.Advance(TimeSpan.FromSeconds(0.1));
        fence.IsOpen.Should().BeFalse("the deadline counts from when the renewal left, not when it was answered");
    }

    [Fact]
    public void A_closed_fence_stays_closed_until_the_next_renewal()
    {
        var fence = new LeadershipFence(_time);
        fence.OpenFor(_time.GetTimestamp(), TimeSpan.FromSeconds(10));

        fence.Close();

        fence.IsOpen.Should().BeFalse();
    }

    [Fact]
    public async Task Writes_are_refused_while_the_fence_is_closed_and_reads_pass()
    {
        var fence = new LeadershipFence(_time);
        using var invoker = new HttpMessageInvoker(new FencedWritesHandler(fence) { InnerHandler = new Ok() });
        var url = "https://api/api/v1/namespaces/demo-a/resourcequotas/tenant-quota";

        var write = () => invoker.SendAsync(new HttpRequestMessage(HttpMethod.Patch, url), CancellationToken.None);
        await write.Should().ThrowAsync<LeadershipLostException>();
        (await invoker.SendAsync(new HttpRequestMessage(HttpMethod.Get, url), CancellationToken.None)).StatusCode.Should().Be(HttpStatusCode.OK);

        fence.OpenFor(_time.GetTimestamp(), TimeSpan.FromSeconds(3));
        (await write()).StatusCode.Should().Be(HttpStatusCode.OK);
    }

    private sealed class Ok : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK));
    }
}
