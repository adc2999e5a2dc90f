using IsolationOperator.Api.V1Alpha1;
using IsolationOperator.Desired;
using k8s.Models;

namespace IsolationOperator.Reconciliation;

/// <summary>Whose a namespace is. Pure: labels alone are not proof, because names are reused.</summary>
public static class NamespaceOwnership
{
    public static bool IsOwnedBy(V1Namespace? ns, DemoTenant tenant)
    {
        if (ns is null || TenantLabels.TenantOf(ns.Metadata) != tenant.Metadata.Name) return false;
        if (ns.Metadata.Labels!.TryGetValue(TenantLabels.TenantUid, out var uid) && !string.IsNullOrEmpty(uid))
            return uid == tenant.Metadata.Uid;
        // Made by a version that did not record UIDs: ours only if this very DemoTenant recorded provisioning it
        // (a DemoTenant re-created under the old name starts with an empty status).
        return tenant.Status?.Namespace == ns.Metadata.Name;
    }

    public static bool IsTerminating(V1Namespace? ns) => ns?.Metadata.DeletionTimestamp is not null;

    /// <summary>The one message for a namespace that is someone else's: the reconciler's condition and the webhook's refusal.</summary>
    public static string NotOwnedMessage(string? ns) =>
        $"Namespace \"{ns}\" already exists and does not belong to this DemoTenant; it was left untouched. Choose another spec.namespace.";

    /// <summary>The one message for a namespace another DemoTenant already claims (it may not have created it yet).</summary>
    public static string ClaimedMessage(string ns, string otherTenant) =>
        $"Namespace \"{ns}\" is already claimed by DemoTenant {otherTenant}; choose another spec.namespace.";

    /// <summary>The one lead-in for spec problems (TenantPlanner's messages): the reconciler's condition and the webhook's refusal.</summary>
    public static string SpecRejected(IEnumerable<string> problems) => "The DemoTenant spec cannot be used: " + string.Join("; ", problems);
}
