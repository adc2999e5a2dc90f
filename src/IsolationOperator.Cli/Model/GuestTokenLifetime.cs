namespace IsolationOperator.Cli.Model;

/// <summary>
/// How long a guest's token may live: the shortest of what was asked (--for), the time left on the guest's access
/// (status.guests[].expiresAt) and the platform's maximum (status.guests[].tokenMaxSeconds). Whole seconds, as the
/// TokenRequest API takes them; it refuses less than 10 minutes.
/// </summary>
public static class GuestTokenLifetime
{
    public static readonly TimeSpan Minimum = TimeSpan.FromMinutes(10);

    public sealed record Result(TimeSpan Lifetime, string LimitedBy);

    public static Result Compute(TimeSpan requested, DateTimeOffset? accessEndsAt, long? tokenMaxSeconds, DateTimeOffset now, string guest)
    {
        var result = new Result(requested, "--for");
        if (accessEndsAt is { } end && end - now < result.Lifetime) result = new Result(end - now, $"the guest's access ends {DemoDuration.Rfc3339(end)}");
        if (tokenMaxSeconds is > 0 and var max && TimeSpan.FromSeconds(max) < result.Lifetime)
            result = new Result(TimeSpan.FromSeconds(max), $"the platform's maximum token lifetime ({DemoDuration.ToGo(TimeSpan.FromSeconds(max))})");
        var whole = TimeSpan.FromSeconds(Math.Floor(result.Lifetime.TotalSeconds));
        if (whole < Minimum)
            throw new CliException(whole <= TimeSpan.Zero
                ? $"guest {guest}'s access has ended; extend it (kubectl demo grant ... --expires) first"
                : $"a token for {guest} could live only {DemoDuration.ToGo(whole)} ({result.LimitedBy}), less than the 10 minutes the API server allows", ExitCode.CheckFailed);
        return result with { Lifetime = whole };
    }
}
