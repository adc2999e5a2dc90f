using System.Text;
using System.Text.Json.Nodes;
using IsolationOperator.Admission;
using Microsoft.Extensions.Logging.Abstractions;

namespace IsolationOperator.Tests.Unit.Admission;

public sealed class AdmissionDispatcherTests
{
    private static readonly byte[] Body = Encoding.UTF8.GetBytes(AdmissionReviewCodecTests.Review);

    private static AdmissionDispatcher With(params IAdmissionReviewer[] reviewers) => new(reviewers, NullLogger.Instance);

    [Fact]
    public async Task A_request_goes_to_the_reviewer_registered_for_its_path()
    {
        var dispatcher = With(
            new FakeReviewer("/a", false, WebhookScope.DemoTenants, [FakeReviewer.DemoTenants], ["CREATE"], _ => AdmissionVerdict.Deny("from a")),
            new FakeReviewer("/b", false, WebhookScope.DemoTenants, [FakeReviewer.DemoTenants], ["CREATE"], _ => AdmissionVerdict.Deny("from b")));

        var result = await dispatcher.HandleAsync("/b", Body, CancellationToken.None);

        result.StatusCode.Should().Be(200);
        JsonNode.Parse(result.Body)!["response"]!["status"]!["message"]!.GetValue<string>().Should().Be("from b");
    }

    [Fact]
    public async Task A_reviewer_that_throws_refuses_with_code_500_and_the_server_keeps_going()
    {
        var dispatcher = With(new FakeReviewer("/boom", false, WebhookScope.DemoTenants, [FakeReviewer.DemoTenants], ["CREATE"], _ => throw new TimeoutException("api slow")));

        var response = JsonNode.Parse((await dispatcher.HandleAsync("/boom", Body, CancellationToken.None)).Body)!["response"]!;

        response["allowed"]!.GetValue<bool>().Should().BeFalse();
        response["status"]!["code"]!.GetValue<int>().Should().Be(500);
        response["status"]!["message"]!.GetValue<string>().Should().Contain("api slow");
    }

    [Fact]
    public async Task A_validating_reviewer_cannot_patch()
    {
        var dispatcher = With(new FakeReviewer("/v", false, WebhookScope.DemoTenants, [FakeReviewer.DemoTenants], ["CREATE"],
            _ => AdmissionVerdict.Mutate([new JsonPatchOperation("remove", "/spec")])));

        var response = JsonNode.Parse((await dispatcher.HandleAsync("/v", Body, CancellationToken.None)).Body)!["response"]!;

        response["allowed"]!.GetValue<bool>().Should().BeFalse();
        response["patch"].Should().BeNull();
    }

    [Fact]
    public async Task Unknown_paths_and_malformed_bodies_are_http_errors()
    {
        var dispatcher = With(new FakeReviewer("/v", false, WebhookScope.DemoTenants, [FakeReviewer.DemoTenants], ["CREATE"]));

        (await dispatcher.HandleAsync("/nope", Body, CancellationToken.None)).StatusCode.Should().Be(404);
        (await dispatcher.HandleAsync("/v", Encoding.UTF8.GetBytes("{}"), CancellationToken.None)).StatusCode.Should().Be(400);
    }

    [Fact]
    public void Two_reviewers_cannot_share_a_path()
    {
        var twice = () => With(new FakeReviewer("/v", false, WebhookScope.DemoTenants, [], []), new FakeReviewer("/v", true, WebhookScope.DemoTenants, [], []));
        twice.Should().Throw<InvalidOperationException>();
    }
}
