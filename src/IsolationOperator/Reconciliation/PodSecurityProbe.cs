using System.Collections.Concurrent;
using IsolationOperator.Desired;
using IsolationOperator.Engine;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace IsolationOperator.Reconciliation;

/// <summary>What the probe found: true (a privileged pod is refused), false (admitted), null (could not tell).</summary>
public sealed record PodSecurityResult(bool? Enforced, string Message, DateTimeOffset At);

/// <summary>
/// Whether Pod Security is really enforced in a tenant namespace, asked of the API server rather than assumed from
/// the namespace's labels: a server-side dry run of a privileged pod must be refused, by Pod Security admission
/// (1.25+) or by the operator's own webhook. Nothing is stored by a dry run. One probe per namespace per period
/// (default an hour), so a quiet operator stays quiet.
/// </summary>
public sealed class PodSecurityProbe(IKubernetes client, TimeProvider time, TimeSpan period)
{
    public const string ProbePodName = "isolation-operator-pod-security-probe";
    private readonly ConcurrentDictionary<string, PodSecurityResult> _last = new(StringComparer.Ordinal);

    /// <param name="recorded">The condition in the tenant's status: after a restart it stands for one period, so a
    /// restarted operator does not probe every namespace at once.</param>
    public async Task<PodSecurityResult> CheckAsync(TenantPlan plan, V1Condition? recorded, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        if (!_last.ContainsKey(plan.Namespace) && recorded is { Status: "True" or "False" } c)
            _last.TryAdd(plan.Namespace, new PodSecurityResult(c.Status == "True", c.Message, now));
        // An answer holds for the period; "could not tell" is asked again within a minute.
        if (_last.TryGetValue(plan.Namespace, out var known) && now - known.At < (known.Enforced is null ? TimeSpan.FromMinutes(1) : period)) return known;
        var result = await ProbeAsync(plan, now, ct);
        _last[plan.Namespace] = result;
        return result;
    }

    /// <summary>Forgets a namespace (deleted, expired): the next tenant there is probed afresh.</summary>
    public void Forget(string ns) => _last.TryRemove(ns, out _);

    private async Task<PodSecurityResult> ProbeAsync(TenantPlan plan, DateTimeOffset now, CancellationToken ct)
    {
        try
        {
            await client.CoreV1.CreateNamespacedPodAsync(PrivilegedPod(), plan.Namespace, dryRun: "All", fieldManager: OperatorIdentity.FieldManager, cancellationToken: ct);
            return new PodSecurityResult(false,
                $"A privileged pod was admitted in {plan.Namespace} (server-side dry run): nothing enforces Pod Security there. " +
                "Turn on the operator's webhooks (webhook.enabled) or use a cluster with Pod Security admission (Kubernetes 1.25 or later).", now);
        }
        catch (HttpOperationException e) when (e.Response.StatusCode is System.Net.HttpStatusCode.Forbidden or System.Net.HttpStatusCode.BadRequest or System.Net.HttpStatusCode.UnprocessableEntity)
        {
            var message = ApiErrors.Message(e);
            if (message.Contains("PodSecurity", StringComparison.Ordinal) || message.Contains("admission webhook", StringComparison.Ordinal))
                return new PodSecurityResult(true, $"A privileged pod is refused in {plan.Namespace} (server-side dry run): {Shorten(message)}", now);
            return new PodSecurityResult(null, $"Pod Security in {plan.Namespace} could not be checked (a dry-run pod was refused for another reason): {Shorten(message)}", now);
        }
    }

    private static string Shorten(string s) => s.Length <= 300 ? s : s[..300] + "…";

    /// <summary>Everything "restricted" (and "baseline") forbids at once; the workload ServiceAccount exists before access does.</summary>
    private static V1Pod PrivilegedPod() => new()
    {
        Metadata = new V1ObjectMeta { Name = ProbePodName, Labels = new Dictionary<string, string> { [TenantLabels.ManagedBy] = TenantLabels.ManagedByValue } },
        Spec = new V1PodSpec
        {
            ServiceAccountName = RbacBuilder.WorkloadServiceAccount,
            AutomountServiceAccountToken = false,
            HostNetwork = true,
            Containers =
            [
                new V1Container
                {
                    Name = "probe",
                    Image = "registry.invalid/isolation-operator/pod-security-probe:never-runs",
                    // No resources: the tenant's LimitRange defaults them, so the quota never refuses the probe first.
                    SecurityContext = new V1SecurityContext { Privileged = true, AllowPrivilegeEscalation = true, RunAsUser = 0 },
                },
            ],
        },
    };
}
