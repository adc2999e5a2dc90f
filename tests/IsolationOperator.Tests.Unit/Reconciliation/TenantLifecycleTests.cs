using IsolationOperator.Api.V1Alpha1;
using IsolationOperator.Reconciliation;
using static IsolationOperator.Reconciliation.LifecycleStep;

namespace IsolationOperator.Tests.Unit.Reconciliation;

public class TenantLifecycleTests
{
    private const string P = Phases.Pending, Pr = Phases.Provisioning, R = Phases.Ready, Ex = Phases.Expiring, S = Phases.Suspended,
        D = Phases.Degraded, F = Phases.Failed, X = Phases.Expired, T = Phases.Terminating;

    private static readonly LifecycleStep[] Teardown = [RevokeAllAccess, DeleteNamespace];
    private static readonly LifecycleStep[] Delete = [RevokeAllAccess, DeleteNamespace, RemoveFinalizer];

    /// <summary>The expected transition of every live phase (not Expired or Terminating) for each event.</summary>
    private static Transition Live(string phase, TenantEvent e) => e switch
    {
        TenantEvent.SpecAccepted => new(R, [RevokeStaleAccess, ApplyDesired]),
        TenantEvent.WarningWindowEntered => new(Ex, [RevokeStaleAccess, ApplyDesired]),
        TenantEvent.SuspendRequested => new(S, [RevokeStaleAccess, RecordSuspension, StopWorkloads, ApplyDesired]),
        TenantEvent.ResumeRequested => new(R, [RevokeStaleAccess, ApplyDesired, RestoreWorkloads]),
        TenantEvent.SpecRejected => new(F, [RevokeStaleAccess]),
        TenantEvent.NamespaceTaken => new(F, []),
        TenantEvent.ClockUntrusted => new(phase, [RevokeStaleAccess]),
        TenantEvent.DeadlinePassed => new(X, [RecordExpiry, RevokeAllAccess, DeleteNamespace]),
        TenantEvent.DeletionRequested => new(T, Delete),
        _ => throw new ArgumentOutOfRangeException(nameof(e)),
    };

    public static TheoryData<string, TenantEvent> EveryPair()
    {
        var data = new TheoryData<string, TenantEvent>();
        foreach (var phase in TenantLifecycle.AllPhases)
            foreach (var e in Enum.GetValues<TenantEvent>())
                data.Add(phase, e);
        return data;
    }

    [Theory]
    [MemberData(nameof(EveryPair))]
    public void Every_phase_and_event_has_its_expected_transition(string phase, TenantEvent e)
    {
        var expected = phase switch
        {
            X when e == TenantEvent.DeletionRequested => new Transition(T, Delete),
            X => new Transition(X, Teardown),
            T => new Transition(T, Delete),
            _ => Live(phase, e),
        };

        var actual = TenantLifecycle.Next(phase, e);

        actual.Phase.Should().Be(expected.Phase);
        actual.Steps.Should().Equal(expected.Steps);
    }

    [Fact]
    public void The_matrix_covers_nine_phases_and_nine_events() =>
        EveryPair().Count().Should().Be(TenantLifecycle.AllPhases.Count * Enum.GetValues<TenantEvent>().Length).And.Be(81);

    [Theory]
    [MemberData(nameof(EveryPair))]
    public void An_expired_demo_is_never_revived_by_any_event(string _, TenantEvent e)
    {
        TenantLifecycle.Next(X, e).Phase.Should().BeOneOf(X, T);
        TenantLifecycle.Next(X, e).Steps.Should().NotContain(ApplyDesired);
    }

    [Theory]
    [MemberData(nameof(EveryPair))]
    public void Access_removal_comes_before_any_write_that_can_fail(string phase, TenantEvent e)
    {
        var steps = TenantLifecycle.Next(phase, e).Steps.ToList();
        var apply = steps.IndexOf(ApplyDesired);
        if (apply >= 0) steps.IndexOf(RevokeStaleAccess).Should().BeInRange(0, apply - 1);
        var delete = steps.IndexOf(DeleteNamespace);
        if (delete >= 0) steps.IndexOf(RevokeAllAccess).Should().BeInRange(0, delete - 1);
    }

    [Fact]
    public void Expiry_is_recorded_before_anything_irreversible() =>
        TenantLifecycle.Next(R, TenantEvent.DeadlinePassed).Steps.First().Should().Be(RecordExpiry);

    [Fact]
    public void Suspension_is_recorded_before_workloads_stop()
    {
        var steps = TenantLifecycle.Next(D, TenantEvent.SuspendRequested).Steps.ToList();
        steps.IndexOf(RecordSuspension).Should().BeLessThan(steps.IndexOf(StopWorkloads));
    }

    [Fact]
    public void A_missing_phase_is_pending() =>
        TenantLifecycle.Next(null, TenantEvent.SpecAccepted).Should().BeEquivalentTo(TenantLifecycle.Next(P, TenantEvent.SpecAccepted));

    [Theory]
    [InlineData(true, false, false, false, false, false, false, TenantEvent.DeletionRequested)]
    [InlineData(false, true, true, false, false, false, false, TenantEvent.DeadlinePassed)]
    [InlineData(false, true, false, false, false, false, false, TenantEvent.ClockUntrusted)]
    [InlineData(false, false, true, false, false, false, false, TenantEvent.SpecRejected)]
    [InlineData(false, false, true, true, true, false, false, TenantEvent.NamespaceTaken)]
    [InlineData(false, false, true, true, false, true, false, TenantEvent.SuspendRequested)]
    [InlineData(false, false, true, true, false, false, true, TenantEvent.ResumeRequested)]
    [InlineData(false, false, true, true, false, false, false, TenantEvent.SpecAccepted)]
    public void The_most_final_fact_decides_the_event(bool deleting, bool passed, bool clockTrusted, bool valid, bool foreign,
        bool suspend, bool recorded, TenantEvent expected)
    {
        var facts = new LifecycleFacts
        {
            Deleting = deleting, DeadlinePassed = passed, ClockTrusted = clockTrusted, SpecValid = valid,
            NamespaceForeign = foreign, SuspendRequested = suspend, SuspensionRecorded = recorded,
        };
        TenantLifecycle.EventFor(facts).Should().Be(expected);
    }

    [Fact]
    public void A_resume_is_level_based_not_read_from_the_phase()
    {
        // Degraded (a foreign binding) while suspended: the record in status, not the phase, says resume.
        var facts = new LifecycleFacts { SuspensionRecorded = true };
        var t = TenantLifecycle.Next(D, TenantLifecycle.EventFor(facts));
        t.Steps.Should().Contain(RestoreWorkloads);
    }

    [Theory]
    [InlineData(R, true, false, R)]
    [InlineData(R, false, true, Pr)]
    [InlineData(R, false, false, D)]
    [InlineData(Ex, false, false, D)]
    [InlineData(S, false, false, D)]
    [InlineData(S, true, false, S)]
    [InlineData(F, false, false, F)]
    public void Provisioning_settles_on_what_the_conditions_say(string phase, bool allTrue, bool quotaPending, string expected) =>
        TenantLifecycle.Settle(phase, allTrue, quotaPending).Should().Be(expected);
}
