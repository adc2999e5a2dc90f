using Xunit.Abstractions;
using Xunit.Sdk;

namespace IsolationOperator.Tests.Integration.Chart;

/// <summary>A test that looks back on what the other tests of its class did (the audit log): runs after them.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class RunsLastAttribute : Attribute;

/// <summary>
/// Orders a class's tests by name, those marked <see cref="RunsLastAttribute"/> last. Use with
/// <c>[TestCaseOrderer(RunsLastOrderer.TypeName, RunsLastOrderer.AssemblyName)]</c>.
/// </summary>
public sealed class RunsLastOrderer : ITestCaseOrderer
{
    public const string TypeName = "IsolationOperator.Tests.Integration.Chart.RunsLastOrderer";
    public const string AssemblyName = "IsolationOperator.Tests.Integration";

    public IEnumerable<TTestCase> OrderTestCases<TTestCase>(IEnumerable<TTestCase> testCases)
        where TTestCase : ITestCase =>
        testCases
            .OrderBy(t => t.TestMethod.Method.GetCustomAttributes(typeof(RunsLastAttribute).AssemblyQualifiedName).Any())
            .ThenBy(t => t.TestMethod.Method.Name, StringComparer.Ordinal)
            .ToList();
}
