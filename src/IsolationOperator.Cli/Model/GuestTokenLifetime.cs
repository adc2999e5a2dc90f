namespace IsolationOperator.Cli.Model;

/// <summary>
/// How long a guest's token may live: the shortest of what was asked (--for), the time left on the guest's access
/// (status.guests[].expiresAt) and the platform's maximum (status.guests[].tokenMaxSeconds). Whole seconds, as the
/// TokenRequest API takes them. It refuses less than 10 minutes: a guest with less left gets a 10-minute token that
/// stops working when its access ends anyway (the operator deletes the guest's ServiceAccount then), and
/// <see cref="Result.EndsAt"/> says so.
/// </summary>
public static class GuestTokenLifetime
{
    public static readonly TimeSpan Minimum = TimeSpan.FromMinutes(10);

    /// <param name="Lifetime">What to ask the TokenRequest API for.</param>
    /// <param name="EndsAt">When the kubeconfig stops working, when that is before the token's own expiry (the guest's access ends).</param>
    public sealed record Result(TimeSpan Lifetime, string LimitedBy, DateTimeOffset? EndsAt = null);

    public static Result Compute(TimeSpan requested, DateTimeOffset? accessEndsAt, long? tokenMaxSeconds, DateTimeOffset now, string guest)
    {
        var result = new Result(requested, "--for");
        if (accessEndsAt is { } end && end - now < result.Lifetime) result = new Result(end - now, $"the guest's access ends {DemoDuration.Rfc3339(end)}");
        if (tokenMaxSeconds is > 0 and var max && TimeSpan.FromSeconds(max) < result.Lifetime)
            result = new Result(TimeSpan.FromSeconds(max), $"the platform's maximum token lifetime ({DemoDuration.ToGo(TimeSpan.FromSeconds(max))})");
        var whole = TimeSpan.FromSeconds(Math.Floor(result.Lifetime.TotalSeconds));
        if (whole <= TimeSpan.Zero)
            throw new CliException($"guest {guest}'s access has ended; extend it (kubectl demo grant ... --expires) first", ExitCode.CheckFailed);
        if (whole < Minimum)
        {
            // Asked for 10 minutes, because the API server grants no less; the account goes at the end of the access.
            if (accessEndsAt is { } ends && ends - now <= whole + TimeSpan.FromSeconds(1))
                return new Result(Minimum, result.LimitedBy + " (the guest's ServiceAccount is removed then, which ends the token)", ends);
            throw new CliException($"a token for {guest} could live only {DemoDuration.ToGo(whole)} ({result.LimitedBy}), less than the 10 minutes the API server allows", ExitCode.CheckFailed);
        }
        return result with { Lifetime = whole };
    }
}
