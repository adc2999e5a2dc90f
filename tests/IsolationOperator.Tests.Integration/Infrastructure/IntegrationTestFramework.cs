using System.Reflection;
using IsolationOperator.Tests.Integration.Infrastructure;
using Xunit.Abstractions;
using Xunit.Sdk;

[assembly: TestFramework(
    "IsolationOperator.Tests.Integration.Infrastructure.IntegrationTestFramework", "IsolationOperator.Tests.Integration")]

namespace IsolationOperator.Tests.Integration.Infrastructure;

/// <summary>
/// xunit 2 has no assembly-level teardown, and ProcessExit is too late: vstest kills the test host shortly
/// after the run, cutting a graceful stop short (the watchdog would still clean up, but seconds later).
/// This framework stops the shared plane after the last test, before the run is reported finished.
/// </summary>
public sealed class IntegrationTestFramework(IMessageSink messageSink) : XunitTestFramework(messageSink)
{
    protected override ITestFrameworkExecutor CreateExecutor(AssemblyName assemblyName) =>
        new Executor(assemblyName, SourceInformationProvider, DiagnosticMessageSink);

    private sealed class Executor(AssemblyName assemblyName, ISourceInformationProvider sourceInformationProvider, IMessageSink diagnosticMessageSink)
        : XunitTestFrameworkExecutor(assemblyName, sourceInformationProvider, diagnosticMessageSink)
    {
        // Same as the base implementation, with our runner. (async void is xunit's own signature here.)
        protected override async void RunTestCases(
            IEnumerable<IXunitTestCase> testCases, IMessageSink executionMessageSink, ITestFrameworkExecutionOptions executionOptions)
        {
            using var runner = new Runner(TestAssembly, testCases, DiagnosticMessageSink, executionMessageSink, executionOptions);
            await runner.RunAsync();
        }
    }

    private sealed class Runner(
        ITestAssembly testAssembly,
        IEnumerable<IXunitTestCase> testCases,
        IMessageSink diagnosticMessageSink,
        IMessageSink executionMessageSink,
        ITestFrameworkExecutionOptions executionOptions)
        : XunitTestAssemblyRunner(testAssembly, testCases, diagnosticMessageSink, executionMessageSink, executionOptions)
    {
        protected override async Task BeforeTestAssemblyFinishedAsync()
        {
            await SharedControlPlane.StopAsync();
            await base.BeforeTestAssemblyFinishedAsync();
        }
    }
}
