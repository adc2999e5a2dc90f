using k8s;

namespace IsolationOperator.Engine;

/// <summary>
/// The API server's clock, read from the Date header of a cheap request. Irreversible steps (expiry deletes a
/// namespace) are taken only when the local clock agrees with it: a node whose clock jumped must not end every demo.
/// </summary>
public sealed class ServerClock(IKubernetes client, TimeProvider time)
{
    /// <summary>Server time minus local time, or null when the server sent no Date header.</summary>
    public async Task<TimeSpan?> OffsetAsync(CancellationToken ct)
    {
        var before = time.GetUtcNow();
        using var response = await client.Version.GetCodeWithHttpMessagesAsync(cancellationToken: ct);
        var after = time.GetUtcNow();
        if (response.Response.Headers.Date is not { } server) return null;
        // The header has one-second resolution: compare with the middle of the round trip.
        var local = before + (after - before) / 2;
        return server - local;
    }
}
