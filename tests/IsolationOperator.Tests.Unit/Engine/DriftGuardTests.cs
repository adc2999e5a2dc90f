using IsolationOperator.Engine;
using Microsoft.Extensions.Time.Testing;

namespace IsolationOperator.Tests.Unit.Engine;

public sealed class DriftGuardTests
{
    private readonly FakeTimeProvider _time = new();
    private static readonly string[] Rival = ["quota-fiddler"];

    [Fact]
    public void Three_corrections_are_tolerated_and_the_fourth_starts_a_30_second_hold_naming_the_rival()
    {
        var guard = new DriftGuard(_time);
        for (var i = 0; i < 3; i++) guard.Corrected("quota", Rival).Should().BeNull();
        guard.Corrected("quota", Rival).Should().Be(_time.GetUtcNow().AddSeconds(30));
        guard.HeldUntil("quota")!.Value.Competitors.Should().Equal(Rival);
    }

    [Fact]
    public void After_a_hold_the_first_correction_holds_again_for_twice_as_long()
    {
        var guard = new DriftGuard(_time);
        for (var i = 0; i < 4; i++) guard.Corrected("quota", Rival);
        _time.Advance(TimeSpan.FromSeconds(31));
        guard.HeldUntil("quota").Should().BeNull("the hold is over");
        guard.Corrected("quota", Rival).Should().Be(_time.GetUtcNow().AddSeconds(60), "the rival is still there");
        _time.Advance(TimeSpan.FromSeconds(61));
        guard.Corrected("quota", Rival).Should().Be(_time.GetUtcNow().AddSeconds(120));
    }

    [Fact]
    public void Holds_never_exceed_ten_minutes()
    {
        var guard = new DriftGuard(_time);
        for (var i = 0; i < 4; i++) guard.Corrected("quota", Rival);
        for (var round = 0; round < 8; round++)
        {
            _time.Advance(TimeSpan.FromMinutes(4)); // each hold ends; a correction inside the 5-minute window continues the fight
            var until = guard.Corrected("quota", Rival);
            if (until is { } u) (u - _time.GetUtcNow()).Should().BeLessThanOrEqualTo(TimeSpan.FromMinutes(10));
        }
    }

    [Fact]
    public void A_quiet_window_after_the_hold_ends_the_fight_and_a_new_drift_is_tolerated_again()
    {
        var guard = new DriftGuard(_time);
        for (var i = 0; i < 4; i++) guard.Corrected("quota", Rival);
        _time.Advance(TimeSpan.FromSeconds(30) + TimeSpan.FromMinutes(6));
        guard.Corrected("quota", Rival).Should().BeNull("someone's one-off change is corrected, not held off");
    }

    [Fact]
    public void Objects_are_guarded_apart()
    {
        var guard = new DriftGuard(_time);
        for (var i = 0; i < 4; i++) guard.Corrected("quota", Rival);
        guard.Corrected("limits", Rival).Should().BeNull();
    }
}
