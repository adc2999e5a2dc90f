using k8s.Models;

namespace IsolationOperator.Desired;

/// <summary>
/// The operator's identity and the ClusterRole (shipped by the chart, never bound cluster-wide) that it binds to
/// itself inside each demo namespace, so that what it does to a tenant's workloads it can do nowhere else.
/// </summary>
/// <param name="User">The operator's user name as the API server sees it, e.g. system:serviceaccount:isolation-system:isolation-operator.</param>
public sealed record OperatorAccess(string ClusterRole, string User)
{
    private const string ServiceAccountPrefix = "system:serviceaccount:";

    public Rbacv1Subject Subject()
    {
        if (User.StartsWith(ServiceAccountPrefix, StringComparison.Ordinal) && User[ServiceAccountPrefix.Length..].Split(':') is [var ns, var name])
            return new Rbacv1Subject { Kind = "ServiceAccount", Name = name, NamespaceProperty = ns };
        return new Rbacv1Subject { Kind = "User", Name = User, ApiGroup = "rbac.authorization.k8s.io" };
    }
}
