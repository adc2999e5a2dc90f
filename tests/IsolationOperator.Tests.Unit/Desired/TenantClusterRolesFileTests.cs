using IsolationOperator.Desired;
using IsolationOperator.Tests.Unit.Support;
using k8s;
using k8s.Models;

namespace IsolationOperator.Tests.Unit.Desired;

/// <summary>
/// The chart ships the tenant roles as plain YAML (charts/isolation-operator/files/tenant-clusterroles.yaml); the
/// operator's bindings and its admission checks assume RbacBuilder's rules. The two must be the same, rule for rule.
/// </summary>
public class TenantClusterRolesFileTests
{
    private static string FilePath => Path.Combine(RepoPaths.Root, "charts", "isolation-operator", "files", "tenant-clusterroles.yaml");

    [Fact]
    public void Chart_file_holds_exactly_the_cluster_roles_the_code_builds()
    {
        var shipped = KubernetesYaml.LoadAllFromString(File.ReadAllText(FilePath)).Cast<V1ClusterRole>().ToList();
        var built = RbacBuilder.BuildClusterRoles();

        shipped.Select(r => r.Metadata.Name).Should().Equal(built.Select(r => r.Metadata.Name));
        foreach (var (file, code) in shipped.Zip(built))
        {
            file.AggregationRule.Should().BeNull();
            KubernetesJson.Serialize(file.Rules).Should().Be(KubernetesJson.Serialize(code.Rules), "{0} in the chart should match RbacBuilder.Roles", file.Metadata.Name);
        }
    }
}
