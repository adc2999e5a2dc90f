using IsolationOperator.Api.V1Alpha1;
using IsolationOperator.Cli.Model;

namespace IsolationOperator.Cli.Commands;

/// <summary>Small phrases about a DemoTenant that several verbs print.</summary>
public static class TenantText
{
    public static string Expiry(DemoTenant t, DateTimeOffset now) => t.Status?.ExpiresAt is { } at
        ? $"expires {DemoDuration.Rfc3339(at)} (in {Countdown.Format(at, now)})"
        : "does not expire";

    public static string Namespace(DemoTenant t) => t.Status?.Namespace ?? t.Spec.Namespace ?? $"demo-{t.Metadata.Name}";

    public static string? ConditionMessage(DemoTenant t, string type) =>
        t.Status?.Conditions?.FirstOrDefault(c => c.Type == type) is { } c ? $"{c.Reason}: {c.Message}" : null;

    /// <summary>The operator has seen the latest spec.</summary>
    public static bool Observed(DemoTenant t) => t.Status?.ObservedGeneration is { } g && g >= (t.Metadata.Generation ?? 0);

    public static string State(DemoTenant t) =>
        $"{t.Status?.Phase ?? "Pending"}{(Observed(t) ? "" : " (operator has not seen the change yet)")}";
}
