namespace IsolationOperator.Hosting;

/// <summary>
/// Reads each response body (watches aside) before KubernetesClient sees it. The library sends with
/// ResponseHeadersRead and then deserializes the body with a synchronous Stream read, so without this a thread-pool
/// thread blocks on the network for every request; a burst of reconciles then starves the pool, and the webhook
/// server, which shares it, answers late (the API server's 5 s webhook timeout was seen to expire under load).
/// </summary>
public sealed class BufferedResponseHandler : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (IsWatch(request.RequestUri)) return response;
        try
        {
            await response.Content.LoadIntoBufferAsync(cancellationToken).ConfigureAwait(false);
            return response;
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }

    /// <summary>A watch streams for minutes: its body must stay a stream.</summary>
    public static bool IsWatch(Uri? uri)
    {
        var query = uri?.Query;
        if (string.IsNullOrEmpty(query)) return false;
        foreach (var part in query.TrimStart('?').Split('&'))
            if (part.Equals("watch=true", StringComparison.OrdinalIgnoreCase) || part.Equals("watch=1", StringComparison.OrdinalIgnoreCase)) return true;
        return false;
    }
}
