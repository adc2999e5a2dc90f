using System.Text.Json.Nodes;
using IsolationOperator.Api.V1Alpha1;
using IsolationOperator.Desired;
using IsolationOperator.Tests.Unit.Support;
using k8s;

namespace IsolationOperator.Tests.Unit.Api;

/// <summary>Every sample a sales engineer might copy must be accepted by the API server and by the operator.</summary>
public class SamplesTests
{
    private static readonly DateTimeOffset Now = new(2025, 6, 1, 12, 0, 0, TimeSpan.Zero);

    public static TheoryData<string> Samples()
    {
        var data = new TheoryData<string>();
        var files = Directory.Exists(RepoPaths.Samples)
            ? Directory.EnumerateFiles(RepoPaths.Samples, "*.*", SearchOption.AllDirectories)
                .Where(f => f.EndsWith(".yaml", StringComparison.Ordinal) || f.EndsWith(".yml", StringComparison.Ordinal))
                .Select(f => Path.GetRelativePath(RepoPaths.Root, f)).Order(StringComparer.Ordinal).ToList()
            : [];
        // xunit 2 refuses an empty theory; a placeholder row keeps "no samples yet" a pass.
        if (files.Count == 0) data.Add("");
        foreach (var f in files) data.Add(f);
        return data;
    }

    private static IEnumerable<JsonObject> Documents(string relative) =>
        Yaml.LoadDocuments(Path.Combine(RepoPaths.Root, relative)).Select(d => Yaml.ToJson(d)!.AsObject());

    [Theory]
    [MemberData(nameof(Samples))]
    public void Sample_deserialises_into_a_DemoTenant_and_plans_without_problems(string sample)
    {
        if (sample.Length == 0) return; // no samples yet
        foreach (var doc in Documents(sample))
        {
            var tenant = KubernetesJson.Deserialize<DemoTenant>(doc.ToJsonString());

            tenant.ApiVersion.Should().Be(DemoTenant.ApiGroupVersion);
            tenant.Kind.Should().Be(DemoTenant.KindName);
            tenant.Metadata.Name.Should().NotBeNullOrEmpty();
            tenant.Spec.Prospect.Should().NotBeNullOrEmpty();
            tenant.Metadata.CreationTimestamp = Now.UtcDateTime;

            var result = TenantPlanner.Plan(tenant, Now);

            result.Problems.Should().BeEmpty($"{sample} should be a working example");
            result.Plan.Should().NotBeNull();
        }
    }

    [Theory]
    [MemberData(nameof(Samples))]
    public void Sample_passes_the_crd_schema(string sample)
    {
        if (sample.Length == 0) return; // no samples yet
        var root = CrdSchema.Root(CrdSchema.Load());
        foreach (var doc in Documents(sample))
        {
            doc.Remove("metadata");
            CrdSchema.Validate(doc, root).Should().BeEmpty($"the API server must accept {sample} as written");
        }
    }
}
