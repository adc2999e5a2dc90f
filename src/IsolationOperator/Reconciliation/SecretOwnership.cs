using IsolationOperator.Api.V1Alpha1;
using IsolationOperator.Desired;
using IsolationOperator.Engine;
using k8s.Models;

namespace IsolationOperator.Reconciliation;

public enum SecretState
{
    Absent,
    /// <summary>Ours and carrying the current generation mark.</summary>
    Current,
    /// <summary>Ours, carrying the previous mark: a rotation was decided and is still to be written.</summary>
    RotationPending,
    /// <summary>Made by a version that did not mark secrets; adopted by writing the mark.</summary>
    Legacy,
    /// <summary>Someone else's Secret under this name: never read for values, never written.</summary>
    Foreign,
}

/// <summary>Decides whether a Secret is the operator's own, from the mark only status knows. Pure.</summary>
public static class SecretOwnership
{
    public const string GenerationAnnotation = "isolation.demo.dev/generation-id";

    public static SecretState Of(V1Secret? live, SecretStatus? recorded)
    {
        if (live is null) return SecretState.Absent;
        var mark = MarkOf(live);
        if (!string.IsNullOrEmpty(mark))
        {
            if (mark == recorded?.GenerationId) return SecretState.Current;
            if (mark == recorded?.PreviousGenerationId) return SecretState.RotationPending;
            return SecretState.Foreign;
        }
        // Unmarked: the operator's only if status already lists it and the operator applied it (tenants may create
        // Secrets but never patch them, so they cannot produce an Apply entry under our field manager).
        var applied = live.Metadata.ManagedFields?.Any(m => m.Manager == OperatorIdentity.FieldManager && m.Operation == "Apply") == true;
        return recorded is not null && recorded.GenerationId is null && applied && TenantLabels.TenantOf(live.Metadata) is not null
            ? SecretState.Legacy : SecretState.Foreign;
    }

    public static string? MarkOf(V1Secret? s) =>
        s?.Metadata?.Annotations is { } a && a.TryGetValue(GenerationAnnotation, out var m) ? m : null;

    public static string NewMark() => Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16)).ToLowerInvariant();
}
