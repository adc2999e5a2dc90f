using IsolationOperator.Hosting;

namespace IsolationOperator.Tests.Unit.Hosting;

public class IdleCompactionTests
{
    private const long MiB = 1 << 20;

    [Fact]
    public void The_heap_is_compacted_once_the_work_is_over_not_while_it_goes_on()
    {
        var policy = new IdleCompaction(burstBytes: 64 * MiB, idleBytes: 4 * MiB);
        policy.ShouldCompact(10 * MiB).Should().BeFalse("the first sample has nothing to compare with");
        policy.ShouldCompact(80 * MiB).Should().BeFalse("70 MiB in one period: still working");
        policy.ShouldCompact(150 * MiB).Should().BeFalse("still working");
        policy.ShouldCompact(151 * MiB).Should().BeTrue("idle after a burst");
        policy.Compacted(151 * MiB);
        policy.ShouldCompact(152 * MiB).Should().BeFalse("the burst's memory was already given back");
        policy.ShouldCompact(153 * MiB).Should().BeFalse("an idle operator is not compacted again and again");
    }

    [Fact]
    public void Small_steady_allocation_never_triggers_a_compaction_until_it_adds_up_to_a_burst()
    {
        var policy = new IdleCompaction(burstBytes: 64 * MiB, idleBytes: 4 * MiB);
        policy.ShouldCompact(0).Should().BeFalse();
        var compactions = 0;
        for (long total = MiB; total <= 100 * MiB; total += MiB)
            if (policy.ShouldCompact(total)) { compactions++; policy.Compacted(total); }
        compactions.Should().Be(1, "100 MiB allocated 1 MiB per period is one burst's worth, compacted once it reached 64 MiB");
    }

    [Fact]
    public void A_start_up_that_allocated_much_is_compacted_when_it_goes_quiet()
    {
        var policy = new IdleCompaction(burstBytes: 64 * MiB, idleBytes: 4 * MiB);
        policy.ShouldCompact(120 * MiB).Should().BeFalse();
        policy.ShouldCompact(121 * MiB).Should().BeTrue();
    }
}
