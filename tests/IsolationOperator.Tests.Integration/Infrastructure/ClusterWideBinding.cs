using k8s;
using k8s.Models;

namespace IsolationOperator.Tests.Integration.Infrastructure;

/// <summary>A ClusterRoleBinding a test makes for one subject and removes when disposed.</summary>
public sealed class ClusterWideBinding : IAsyncDisposable
{
    private readonly IKubernetes _admin;

    private ClusterWideBinding(IKubernetes admin, string name) => (_admin, Name) = (admin, name);

    public string Name { get; }

    /// <param name="kind">User or Group.</param>
    public static async Task<ClusterWideBinding> CreateAsync(IKubernetes admin, string clusterRole, string kind, string subject)
    {
        var name = UniqueName.For($"{clusterRole}-binding");
        await admin.RbacAuthorizationV1.CreateClusterRoleBindingAsync(new V1ClusterRoleBinding
        {
            Metadata = new V1ObjectMeta { Name = name },
            RoleRef = new V1RoleRef { ApiGroup = "rbac.authorization.k8s.io", Kind = "ClusterRole", Name = clusterRole },
            Subjects = [new Rbacv1Subject { Kind = kind, Name = subject, ApiGroup = "rbac.authorization.k8s.io" }],
        });
        return new ClusterWideBinding(admin, name);
    }

    public async ValueTask DisposeAsync() => await _admin.RbacAuthorizationV1.DeleteClusterRoleBindingAsync(Name);
}
