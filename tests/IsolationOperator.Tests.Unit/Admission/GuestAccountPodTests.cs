using static IsolationOperator.Tests.Unit.Admission.Calls;
using static IsolationOperator.Tests.Unit.Admission.WorkloadTenants;

namespace IsolationOperator.Tests.Unit.Admission;

/// <summary>A pod that runs as a guest's account would hand that guest's token to whoever may create pods.</summary>
public class GuestAccountPodTests
{
    [Theory]
    [InlineData("serviceAccountName")]
    [InlineData("serviceAccount")]
    public void Pod_running_as_a_guest_account_is_refused(string field)
    {
        Refusal(Namespaced("Pod", RestrictedPod().With(p => p.Spec()[field] = "guest-3")))
            .Should().Contain("ServiceAccount guest-3, which belongs to a guest's kubeconfig");
    }

    [Theory]
    [InlineData("demo-workload")]
    [InlineData("guest-17")]
    [InlineData("guest-one")]
    public void Pod_running_as_another_account_is_allowed(string account)
    {
        Review(Namespaced("Pod", RestrictedPod().With(p => p.Spec()["serviceAccountName"] = account))).Allowed.Should().BeTrue();
    }
}
