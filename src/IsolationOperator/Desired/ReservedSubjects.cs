namespace IsolationOperator.Desired;

/// <summary>
/// Kubernetes reserves user and group names beginning with "system:" for itself: service accounts, nodes, control-plane
/// components, anonymous requests. Binding one makes a machine, or the whole cluster, admin of the demo.
/// </summary>
public static class ReservedSubjects
{
    private const string SystemPrefix = "system:";

    /// <summary>The refusal for an access subject, or null when it may be bound.</summary>
    public static string? Problem(string kind, string name, PlannerPolicy policy)
    {
        if (string.IsNullOrWhiteSpace(name))
            return $"spec.access: a {kind} entry has an empty name; give the prospect's own {kind.ToLowerInvariant()} name";
        if (!name.StartsWith(SystemPrefix, StringComparison.Ordinal)) return null;
        if (policy.AllowedSystemSubjects.Contains($"{kind}:{name}", StringComparer.Ordinal)) return null;
        return $"spec.access: {kind.ToLowerInvariant()} {name} {Why(kind, name)}; names starting with \"system:\" belong to " +
               "Kubernetes itself and cannot be given access to a demo. Name the prospect's own user or group instead " +
               $"(a platform administrator can allow this one with Operator__AllowedSystemSubjects: \"{kind}:{name}\")";
    }

    private static string Why(string kind, string name) => (kind, name) switch
    {
        ("User", "system:anonymous") => "is every unauthenticated request",
        ("Group", "system:unauthenticated") => "contains every unauthenticated request",
        ("Group", "system:authenticated") => "contains every user of the cluster",
        ("Group", "system:serviceaccounts") => "contains every pod's token in the cluster",
        ("Group", "system:masters") => "is cluster-admin: its members bypass RBAC altogether",
        ("Group", "system:nodes") => "contains every node's kubelet",
        ("Group", "system:bootstrappers") => "contains the tokens that join new nodes to the cluster",
        ("Group", _) when name.StartsWith("system:serviceaccounts:", StringComparison.Ordinal) =>
            $"contains every pod's token in namespace {name["system:serviceaccounts:".Length..]}",
        ("User", _) when name.StartsWith("system:serviceaccount:", StringComparison.Ordinal) =>
            "is a service account's token, usable by any pod that mounts it",
        ("User", _) when name.StartsWith("system:node:", StringComparison.Ordinal) => "is a node's kubelet",
        ("User", "system:kube-controller-manager" or "system:kube-scheduler" or "system:kube-proxy") =>
            "is a Kubernetes control-plane component",
        _ => "is reserved for Kubernetes components",
    };
}
