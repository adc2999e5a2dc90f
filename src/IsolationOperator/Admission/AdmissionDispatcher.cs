using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace IsolationOperator.Admission;

/// <summary>The answer to one HTTP request: a status code and, for 200, an AdmissionReview body.</summary>
public sealed record AdmissionHttpResult(int StatusCode, byte[] Body, string ContentType);

/// <summary>
/// Routes an AdmissionReview to the reviewer registered for its path and turns whatever happens into an answer: a
/// reviewer that throws is a refusal with code 500 (the webhooks fail closed), never a crash of the server.
/// </summary>
public sealed class AdmissionDispatcher
{
    private readonly Dictionary<string, IAdmissionReviewer> _byPath;
    private readonly ILogger _log;

    public AdmissionDispatcher(IEnumerable<IAdmissionReviewer> reviewers, ILogger log)
    {
        _byPath = new Dictionary<string, IAdmissionReviewer>(StringComparer.Ordinal);
        foreach (var r in reviewers)
            if (!_byPath.TryAdd(r.Path, r)) throw new InvalidOperationException($"two admission reviewers claim the path {r.Path}");
        _log = log;
    }

    public IReadOnlyCollection<IAdmissionReviewer> Reviewers => _byPath.Values;

    public async Task<AdmissionHttpResult> HandleAsync(string path, ReadOnlyMemory<byte> body, CancellationToken ct)
    {
        if (!_byPath.TryGetValue(path, out var reviewer))
            return Text(404, $"no admission webhook at {path}");
        var started = Stopwatch.GetTimestamp();
        AdmissionCall call;
        try { call = AdmissionReviewCodec.Parse(body.Span); }
        catch (MalformedReviewException e)
        {
            AdmissionMetrics.Requests.WithLabels(path, "error").Inc();
            return Text(400, e.Message);
        }

        AdmissionVerdict verdict;
        string result;
        try
        {
            verdict = await reviewer.ReviewAsync(call, ct);
            if (!reviewer.Mutating && verdict.Patch is { Count: > 0 })
                throw new InvalidOperationException($"the validating webhook {path} answered with a patch");
            result = verdict.Allowed ? "allowed" : "denied";
        }
        catch (Exception e)
        {
            // Fail closed with a message the person can act on; the details are in the log, never secret values.
            _log.LogWarning("admission webhook {Path} could not review {Operation} {Kind} {Name}: {Error}", path, call.Operation, call.Kind, call.Name, e.Message);
            verdict = AdmissionVerdict.Deny($"the isolation operator could not check this request ({e.GetType().Name}: {e.Message}); try again", 500);
            result = "error";
        }
        AdmissionMetrics.Requests.WithLabels(path, result).Inc();
        AdmissionMetrics.Duration.WithLabels(path).Observe(Stopwatch.GetElapsedTime(started).TotalSeconds);
        if (!verdict.Allowed)
            _log.LogInformation("admission {Path}: refused {Operation} {Kind} {Name} by {User}: {Message}", path, call.Operation, call.Kind, call.Name, call.UserName, verdict.Message);
        return new AdmissionHttpResult(200, AdmissionReviewCodec.Answer(call.Uid, verdict), "application/json");
    }

    private static AdmissionHttpResult Text(int code, string message) =>
        new(code, System.Text.Encoding.UTF8.GetBytes(message), "text/plain; charset=utf-8");
}
