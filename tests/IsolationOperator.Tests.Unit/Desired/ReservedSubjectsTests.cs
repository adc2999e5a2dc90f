using IsolationOperator.Api.V1Alpha1;
using IsolationOperator.Desired;
using IsolationOperator.Tests.Unit.Support;

namespace IsolationOperator.Tests.Unit.Desired;

/// <summary>Names starting with "system:" are Kubernetes' own identities; none of them is a prospect.</summary>
public class ReservedSubjectsTests
{
    private static IReadOnlyList<string> ProblemsFor(string kind, string name) =>
        Tenants.Problems(s => s.Access = [Tenants.Access(kind, name, "view")]);

    private static PlanResult PlanWith(PlannerPolicy policy, params AccessEntry[] access) =>
        TenantPlanner.Plan(Tenants.New(spec: s => s.Access = access), Tenants.Now, policy);

    [Fact]
    public void System_anonymous_user_is_refused_with_a_message()
    {
        ProblemsFor("User", "system:anonymous").Should().ContainSingle().Which.Should()
            .Contain("spec.access: user system:anonymous is every unauthenticated request")
            .And.Contain("Name the prospect's own user or group instead")
            .And.Contain("Operator__AllowedSystemSubjects: \"User:system:anonymous\"");
    }

    [Fact]
    public void System_serviceaccounts_group_is_refused()
    {
        ProblemsFor("Group", "system:serviceaccounts").Should().ContainSingle().Which.Should()
            .Contain("group system:serviceaccounts contains every pod's token in the cluster");
    }

    [Fact]
    public void A_namespace_service_accounts_group_is_refused_naming_the_namespace()
    {
        ProblemsFor("Group", "system:serviceaccounts:ci").Should().ContainSingle().Which.Should()
            .Contain("group system:serviceaccounts:ci contains every pod's token in namespace ci");
    }

    [Theory]
    [InlineData("Group", "system:authenticated", "contains every user of the cluster")]
    [InlineData("Group", "system:unauthenticated", "contains every unauthenticated request")]
    [InlineData("Group", "system:masters", "bypass RBAC")]
    [InlineData("Group", "system:nodes", "every node's kubelet")]
    [InlineData("Group", "system:bootstrappers", "join new nodes")]
    [InlineData("User", "system:kube-controller-manager", "control-plane component")]
    [InlineData("User", "system:kube-scheduler", "control-plane component")]
    [InlineData("User", "system:node:worker-1", "a node's kubelet")]
    [InlineData("User", "system:serviceaccount:kube-system:default", "a service account's token")]
    [InlineData("Group", "system:something-new", "reserved for Kubernetes components")]
    [InlineData("User", "system:", "reserved for Kubernetes components")]
    public void Every_system_subject_is_refused_with_the_reason(string kind, string name, string why)
    {
        ProblemsFor(kind, name).Should().ContainSingle().Which.Should()
            .Contain($"{kind.ToLowerInvariant()} {name} ").And.Contain(why).And.Contain("belong to Kubernetes itself");
    }

    [Theory]
    [InlineData("Group", "systems:admins")]
    [InlineData("Group", "System:masters")]
    [InlineData("User", "alice-system:x")]
    public void Names_that_merely_look_like_system_names_are_accepted(string kind, string name)
    {
        // RBAC compares names exactly and case-sensitively: these are ordinary identity-provider names.
        Tenants.Plan(s => s.Access = [Tenants.Access(kind, name, "view")]).Access.Should().ContainSingle();
    }

    [Fact]
    public void A_system_subject_allowed_by_name_is_accepted()
    {
        var policy = PlannerPolicy.Default with { AllowedSystemSubjects = ["Group:system:serviceaccounts:ci"] };

        var result = PlanWith(policy, Tenants.Access("Group", "system:serviceaccounts:ci", "edit"));

        result.Problems.Should().BeEmpty();
        result.Plan!.Access.Should().ContainSingle().Which.Name.Should().Be("system:serviceaccounts:ci");
    }

    [Fact]
    public void An_allowance_is_for_that_kind_and_name_only()
    {
        var policy = PlannerPolicy.Default with { AllowedSystemSubjects = ["Group:system:serviceaccounts:ci"] };

        PlanWith(policy, Tenants.Access("User", "system:serviceaccounts:ci", "edit")).Problems.Should().ContainSingle();
        PlanWith(policy, Tenants.Access("Group", "system:serviceaccounts:cd", "edit")).Problems.Should().ContainSingle();
        PlanWith(policy, Tenants.Access("Group", "system:serviceaccounts", "edit")).Problems.Should().ContainSingle();
    }

    [Theory]
    [InlineData("User", "")]
    [InlineData("User", "   ")]
    [InlineData("Group", "\t")]
    public void An_empty_or_blank_subject_name_is_refused(string kind, string name)
    {
        ProblemsFor(kind, name).Should().ContainSingle().Which.Should()
            .Contain($"spec.access: a {kind} entry has an empty name");
    }
}
