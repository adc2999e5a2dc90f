using IsolationOperator.Hosting;
using Microsoft.Extensions.Configuration;

namespace IsolationOperator.Tests.Integration.Chart;

/// <summary>
/// The operator's settings exactly as the chart's Deployment gives them to its pods: the container's env, bound
/// the way Program binds it (Operator__X__Y is Operator:X:Y). Tests that stand in for the chart's pod start from this.
/// </summary>
public static class ChartEnvironment
{
    public static OperatorOptions Options(RenderedChart manifest)
    {
        var env = manifest.Deployment.Spec.Template.Spec.Containers.Single().Env
            .Where(e => e.Value is not null && e.Name.StartsWith("Operator__", StringComparison.Ordinal))
            .Select(e => new KeyValuePair<string, string?>(e.Name.Replace("__", ":", StringComparison.Ordinal), e.Value));
        return new ConfigurationBuilder().AddInMemoryCollection(env).Build().GetSection("Operator").Get<OperatorOptions>() ?? new OperatorOptions();
    }
}
