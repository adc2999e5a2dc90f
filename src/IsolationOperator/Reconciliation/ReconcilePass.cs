using IsolationOperator.Api.V1Alpha1;
using IsolationOperator.Desired;
using IsolationOperator.Engine;
using k8s.Models;

namespace IsolationOperator.Reconciliation;

/// <summary>What one reconcile of one tenant has observed and done so far; the steps fill it in, status reads it.</summary>
public sealed class ReconcilePass
{
    public required DemoTenant Tenant { get; set; }
    public required TenantPlan? Plan { get; init; }
    public required IReadOnlyList<string> Problems { get; init; }
    /// <summary>The tenant's namespace: the provisioned one if any, else the planned one.</summary>
    public required string Namespace { get; init; }
    public required DateTimeOffset Now { get; init; }
    public required DateTimeOffset? ExpiresAt { get; init; }
    public required LifecycleFacts Facts { get; init; }
    public required TenantEvent Event { get; init; }
    public string? ClockMessage { get; init; }

    /// <summary>The phase when the pass started (Expired whenever expiredAt is recorded).</summary>
    public string? StartPhase { get; init; }
    /// <summary>
    /// Whether the spec was already acted on when the pass started (its generation observed, a settled phase): only
    /// then are objects found different someone else's drift. A status written earlier in this pass (suspension's
    /// intent record) must not turn the pass's own changes into "drift".
    /// </summary>
    public bool SpecSettledAtStart { get; init; }
    public List<ApplyOutcome> Outcomes { get; } = [];
    public List<V1RoleBinding> Revoked { get; } = [];
    public SecretsResult? Secrets { get; set; }
    public bool NamespaceTerminating { get; set; }
    /// <summary>What the Pod Security probe found in the namespace this pass (null: not probed).</summary>
    public PodSecurityResult? PodSecurity { get; set; }
    /// <summary>Access bindings were not written because Pod Security is required and not shown to be enforced.</summary>
    public bool AccessWithheld { get; set; }
    public bool ExpiryRecorded { get; set; }
    public bool SuspensionStarted { get; set; }
    public int Restored { get; set; } = -1;
    public int Stopped { get; set; }
}
