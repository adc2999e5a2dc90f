using IsolationOperator.Api.V1Alpha1;
using IsolationOperator.Reconciliation;
using k8s.Models;

namespace IsolationOperator.Tests.Unit.Reconciliation;

public class ConditionsTests
{
    private static readonly DateTime Earlier = new(2025, 6, 1, 11, 0, 0, DateTimeKind.Utc);
    private static readonly DateTime Now = new(2025, 6, 1, 12, 0, 0, 987, DateTimeKind.Utc);

    [Fact]
    public void Make_spells_status_as_the_api_expects()
    {
        var ok = Conditions.Make(ConditionTypes.Ready, true, "Provisioned", "All set.", 3);
        ok.Status.Should().Be("True");
        ok.Type.Should().Be("Ready");
        ok.Reason.Should().Be("Provisioned");
        ok.Message.Should().Be("All set.");
        ok.ObservedGeneration.Should().Be(3);
        Conditions.Make(ConditionTypes.Ready, false, "X", "y", null).Status.Should().Be("False");
    }

    [Fact]
    public void Transition_time_is_kept_while_the_status_stays()
    {
        var previous = new List<V1Condition> { new() { Type = "Ready", Status = "True", LastTransitionTime = Earlier } };

        var next = Conditions.WithTransitions([Conditions.Make("Ready", true, "StillFine", "m", 2)], previous, Now);

        next.Single().LastTransitionTime.Should().Be(Earlier);
        next.Single().Reason.Should().Be("StillFine");
    }

    [Fact]
    public void Transition_time_moves_when_the_status_changes()
    {
        var previous = new List<V1Condition> { new() { Type = "Ready", Status = "True", LastTransitionTime = Earlier } };

        var next = Conditions.WithTransitions([Conditions.Make("Ready", false, "Broken", "m", 2)], previous, Now);

        next.Single().LastTransitionTime.Should().Be(new DateTime(2025, 6, 1, 12, 0, 0, DateTimeKind.Utc), "truncated to whole seconds");
    }

    [Fact]
    public void A_new_condition_gets_the_current_time()
    {
        var previous = new List<V1Condition> { new() { Type = "Ready", Status = "True", LastTransitionTime = Earlier } };

        var next = Conditions.WithTransitions(
            [Conditions.Make("Ready", true, "r", "m", 1), Conditions.Make(ConditionTypes.NetworkIsolated, true, "r", "m", 1)], previous, Now);

        next.Select(c => c.LastTransitionTime).Should().Equal(Earlier, new DateTime(2025, 6, 1, 12, 0, 0, DateTimeKind.Utc));
        Conditions.WithTransitions([Conditions.Make("Ready", true, "r", "m", 1)], null, Now).Single().LastTransitionTime
            .Should().Be(new DateTime(2025, 6, 1, 12, 0, 0, DateTimeKind.Utc));
    }

    [Fact]
    public void Find_looks_a_condition_up_by_type()
    {
        var status = new DemoTenantStatus { Conditions = [Conditions.Make("Ready", true, "r", "m", 1), Conditions.Make("AccessScoped", false, "r", "m", 1)] };
        Conditions.Find(status, "AccessScoped")!.Status.Should().Be("False");
        Conditions.Find(status, "QuotaEnforced").Should().BeNull();
        Conditions.Find(null, "Ready").Should().BeNull();
        Conditions.Find(new DemoTenantStatus(), "Ready").Should().BeNull();
    }

    [Fact]
    public void Component_conditions_are_all_distinct_from_ready()
    {
        ConditionTypes.Components.Should().OnlyHaveUniqueItems().And.NotContain(ConditionTypes.Ready).And.HaveCount(5);
    }
}
