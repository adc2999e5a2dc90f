using IsolationOperator.LocalCluster;
using IsolationOperator.Tests.Integration.Chart;
using IsolationOperator.Tests.Integration.Infrastructure;
using k8s;
using k8s.Models;

namespace IsolationOperator.Tests.Integration.Cli;

/// <summary>
/// A sales engineer with only the chart's demotenant-editor ClusterRole (its rules, under a name of this test's own:
/// the real name belongs to the Helm tests' releases), plus whatever their demos grant them.
/// </summary>
public static class SalesEngineer
{
    public static async Task<(string User, KubectlDemo Cli)> CreateAsync(ControlPlane plane)
    {
        var user = UniqueName.For("se");
        var chart = await RenderedChart.TemplateAsync("cli", "isolation-cli");
        var editor = chart.Find("ClusterRole", "demotenant-editor")?.As<V1ClusterRole>()
            ?? throw new InvalidOperationException("the chart defines no demotenant-editor ClusterRole");
        var role = $"{user}-demotenant-editor";
        var admin = plane.AdminClient();
        await admin.RbacAuthorizationV1.CreateClusterRoleAsync(new V1ClusterRole { Metadata = new V1ObjectMeta { Name = role }, Rules = editor.Rules });
        await admin.RbacAuthorizationV1.CreateClusterRoleBindingAsync(new V1ClusterRoleBinding
        {
            Metadata = new V1ObjectMeta { Name = role },
            RoleRef = new V1RoleRef { ApiGroup = "rbac.authorization.k8s.io", Kind = "ClusterRole", Name = role },
            Subjects = [new Rbacv1Subject { ApiGroup = "rbac.authorization.k8s.io", Kind = "User", Name = user }],
        });
        return (user, new KubectlDemo(plane.WriteKubeconfigFor(user)));
    }

    public static async Task DeleteAsync(ControlPlane plane, string user)
    {
        var admin = plane.AdminClient();
        try { await admin.RbacAuthorizationV1.DeleteClusterRoleBindingAsync($"{user}-demotenant-editor"); } catch (k8s.Autorest.HttpOperationException) { }
        try { await admin.RbacAuthorizationV1.DeleteClusterRoleAsync($"{user}-demotenant-editor"); } catch (k8s.Autorest.HttpOperationException) { }
    }
}
