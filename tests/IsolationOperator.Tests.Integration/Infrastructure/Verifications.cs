using IsolationOperator.Api.V1Alpha1;
using k8s;

namespace IsolationOperator.Tests.Integration.Infrastructure;

public static class Verifications
{
    /// <summary>Waits until the demo's IsolationVerified condition has <paramref name="status"/> (and, if given, names <paramref name="mentioning"/>).</summary>
    public static async Task<DemoTenant> WaitAsync(IKubernetes admin, string name, string status, string? mentioning = null) =>
        await Eventually.GetAsync($"IsolationVerified={status}{(mentioning is null ? "" : " naming " + mentioning)}", async () =>
        {
            var t = await Tenants.GetAsync(admin, name);
            var c = t is null ? null : Tenants.Condition(t, ConditionTypes.IsolationVerified);
            return c?.Status == status && (mentioning is null || c.Message.Contains(mentioning, StringComparison.Ordinal)) ? t : null;
        }, TimeSpan.FromSeconds(40));
}
