using IsolationOperator.LocalCluster;
using IsolationOperator.Tests.Integration.Chart;
using k8s;
using k8s.Models;

namespace IsolationOperator.Tests.Integration.Infrastructure;

/// <summary>
/// The chart's RBAC for the operator, installed once per plane and bound to a group instead of a ServiceAccount, so
/// that the behaviour tests' operators run with exactly the permissions a <c>helm install</c> gives the operator
/// (and bind themselves in demo namespaces as the chart's operator does), not as cluster admin.
/// </summary>
public static class ChartPermissions
{
    public const string Group = "isolation-operator:chart-permissions";
    private const string Release = "suite";
    public const string ReleaseNamespace = "isolation-suite";
    /// <summary>The audit key Secret the chart names for release "suite".</summary>
    public const string AuditKeySecret = "suite-isolation-operator-audit-key";
    public const string InTenantNamespacesRole = "suite-isolation-operator-in-tenant-namespaces";

    private static readonly SemaphoreSlim Once = new(1, 1);
    private static readonly HashSet<string> Installed = [];

    public static async Task InstallAsync(ControlPlane plane)
    {
        await Once.WaitAsync();
        try
        {
            if (Installed.Contains(plane.ServerUrl)) return;
            var chart = await RenderedChart.TemplateAsync(Release, ReleaseNamespace, "--set", "webhook.enabled=false", "--set", "rbac.tenantRoles.create=false");
            var sa = chart.ServiceAccountName;
            var docs = new List<string> { KubernetesYaml.Serialize(new V1Namespace { ApiVersion = "v1", Kind = "Namespace", Metadata = new V1ObjectMeta { Name = ReleaseNamespace } }) };
            foreach (var o in chart.Objects)
            {
                switch (o.Kind)
                {
                    // The release's own roles only: demotenant-editor/-viewer have cluster-wide names a test's helm install owns.
                    case "ClusterRole" or "Role" when o.Name.StartsWith(Release + "-", StringComparison.Ordinal):
                        docs.Add(o.Yaml);
                        break;
                    case "ClusterRoleBinding":
                        var cb = o.As<V1ClusterRoleBinding>();
                        if (ToGroup(cb.Subjects, sa)) docs.Add(KubernetesYaml.Serialize(cb));
                        break;
                    case "RoleBinding":
                        var rb = o.As<V1RoleBinding>();
                        if (ToGroup(rb.Subjects, sa)) docs.Add(KubernetesYaml.Serialize(rb));
                        break;
                }
            }
            var apply = await Kubectl.RunAsync(plane.KubeconfigPath, new KubectlInput(string.Join("\n---\n", docs)), "apply", "-f", "-");
            apply.ExitCode.Should().Be(0, apply.ToString());
            Installed.Add(plane.ServerUrl);
        }
        finally
        {
            Once.Release();
        }
    }

    /// <summary>Rebinds what the chart binds to its ServiceAccount to <see cref="Group"/>; false when it binds someone else.</summary>
    private static bool ToGroup(IList<Rbacv1Subject>? subjects, string serviceAccount)
    {
        if (subjects?.Any(s => s.Kind == "ServiceAccount" && s.Name == serviceAccount) != true) return false;
        subjects.Clear();
        subjects.Add(new Rbacv1Subject { ApiGroup = "rbac.authorization.k8s.io", Kind = "Group", Name = Group });
        return true;
    }
}
