using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using IsolationOperator.Hosting;

namespace IsolationOperator.Tests.Integration.Infrastructure;

/// <summary>
/// Cuts the operator off from the API server right after one request has been answered, as a kill -9 would: every
/// later request is never sent. The API server has done exactly the writes up to and including that one.
/// </summary>
public sealed class CutOffAfter(Func<HttpRequestMessage, string?, bool> isLastRequest) : DelegatingHandler
{
    private readonly TaskCompletionSource _cut = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes when the cut happened.</summary>
    public Task Cut => _cut.Task;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct)
    {
        if (_cut.Task.IsCompleted) await Task.Delay(Timeout.Infinite, ct);
        var body = request.Content is null ? null : await request.Content.ReadAsStringAsync(ct);
        var response = await base.SendAsync(request, ct);
        if (response.IsSuccessStatusCode && isLastRequest(request, body))
        {
            _cut.TrySetResult();
            await Task.Delay(Timeout.Infinite, ct); // the process is gone: it never sees the answer either
        }
        return response;
    }
}

/// <summary>Counts the operator's writes (every request that is not a GET), to cut it off after the N-th.</summary>
public static class Writes
{
    public static bool IsWrite(HttpRequestMessage r) => r.Method != HttpMethod.Get;

    /// <summary>A cut-off right after the operator's <paramref name="n"/>-th write.</summary>
    public static CutOffAfter Nth(int n)
    {
        var count = 0;
        return new CutOffAfter((r, _) => IsWrite(r) && Interlocked.Increment(ref count) == n);
    }
}

/// <summary>
/// A path between the operator and the API server that loses a namespace: lists leave it out and direct reads of it
/// (and of anything in it) get a bare 404 with no Status, as a proxy or a half-started server would answer.
/// </summary>
public sealed class HidesNamespace(string ns) : DelegatingHandler
{
    public int SpuriousNotFounds;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct)
    {
        var path = request.RequestUri!.AbsolutePath;
        if (request.Method == HttpMethod.Get && (path == $"/api/v1/namespaces/{ns}" || path.StartsWith($"/api/v1/namespaces/{ns}/", StringComparison.Ordinal)))
        {
            Interlocked.Increment(ref SpuriousNotFounds);
            return new HttpResponseMessage(HttpStatusCode.NotFound) { Content = new StringContent("404 page not found\n", Encoding.UTF8, "text/plain"), RequestMessage = request };
        }
        var response = await base.SendAsync(request, ct);
        if (request.Method != HttpMethod.Get || BufferedResponseHandler.IsWatch(request.RequestUri) || !response.IsSuccessStatusCode) return response;
        var text = await response.Content.ReadAsStringAsync(ct);
        if (JsonNode.Parse(text) is not JsonObject list || list["items"] is not JsonArray items) return response;
        foreach (var item in items.ToList())
            if (item?["metadata"]?["name"]?.GetValue<string>() == ns || item?["metadata"]?["namespace"]?.GetValue<string>() == ns)
                items.Remove(item);
        response.Content = new StringContent(list.ToJsonString(), Encoding.UTF8, "application/json");
        return response;
    }
}
