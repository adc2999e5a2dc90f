using IsolationOperator.Admission;
using IsolationOperator.Api.V1Alpha1;
using IsolationOperator.Tests.Unit.Support;
using k8s.Models;

namespace IsolationOperator.Tests.Unit.Admission;

/// <summary>Tenants owning demo-acme, and the workload reviewer run against them.</summary>
internal static class WorkloadTenants
{
    public static readonly V1Toleration DedicatedToleration = new() { Key = "dedicated", OperatorProperty = "Equal", Value = "acme", Effect = "NoSchedule" };

    public static DemoTenant Plain(Action<DemoTenantSpec>? spec = null) =>
        Tenants.New("acme", s => { s.Namespace = Calls.Namespace; spec?.Invoke(s); });

    public static DemoTenant Isolated(Action<DemoTenantSpec>? spec = null) => Plain(s =>
    {
        s.Isolation = new IsolationSpec
        {
            Nodes = new NodeIsolationSpec
            {
                Selector = new Dictionary<string, string> { ["example.com/pool"] = "acme", ["tier"] = "demo" },
                Tolerations = [DedicatedToleration],
            },
            RuntimeClassName = "gvisor",
        };
        spec?.Invoke(s);
    });

    public static AdmissionVerdict Review(AdmissionCall call, DemoTenant? tenant = null, AdmissionOptions? options = null) =>
        TenantWorkloadReviewer.Review(call, tenant ?? Plain(), options ?? Calls.Options());

    public static string Refusal(AdmissionCall call, DemoTenant? tenant = null, AdmissionOptions? options = null)
    {
        var verdict = Review(call, tenant, options);
        verdict.Allowed.Should().BeFalse();
        return verdict.Message!;
    }
}
