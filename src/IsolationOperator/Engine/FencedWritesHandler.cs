namespace IsolationOperator.Engine;

/// <summary>In the controller's HTTP pipeline: refuses every write while the fence is closed; reads and watches pass.</summary>
public sealed class FencedWritesHandler(LeadershipFence fence) : DelegatingHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.Method != HttpMethod.Get && request.Method != HttpMethod.Head && !fence.IsOpen)
            throw new LeadershipLostException($"{request.Method} {request.RequestUri?.AbsolutePath} refused: this replica does not hold the lease");
        return base.SendAsync(request, cancellationToken);
    }
}
