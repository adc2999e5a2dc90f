using IsolationOperator.Engine;
using Microsoft.Extensions.Time.Testing;

namespace IsolationOperator.Tests.Unit.Engine;

public sealed class WorkQueueTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(5);
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2025, 6, 1, 12, 0, 0, TimeSpan.Zero));
    private readonly WorkQueue _queue;

    public WorkQueueTests() => _queue = new WorkQueue(_clock);

    public void Dispose() => _queue.Dispose();

    /// <summary>The key a worker would get right now, or null when nothing is ready.</summary>
    private static async Task<string?> TakeNow(WorkQueue queue)
    {
        using var cts = new CancellationTokenSource();
        var take = queue.TakeAsync(cts.Token);
        if (take.IsCompleted) return await take;
        await cts.CancelAsync();
        (await take.WaitAsync(Patience)).Should().BeNull();
        return null;
    }

    private Task<string?> TakeNow() => TakeNow(_queue);

    /// <summary>Drains everything ready now.</summary>
    private async Task<List<string>> TakeAll()
    {
        var keys = new List<string>();
        while (await TakeNow() is { } key) keys.Add(key);
        return keys;
    }

    [Fact]
    public async Task Keys_come_out_in_the_order_they_went_in()
    {
        _queue.Add("a");
        _queue.Add("b");
        _queue.Add("c");
        (await TakeAll()).Should().Equal("a", "b", "c");
    }

    [Fact]
    public async Task Duplicates_collapse()
    {
        _queue.Add("a");
        _queue.Add("b");
        _queue.Add("a");
        _queue.Add("a");

        _queue.Depth.Should().Be(2);
        (await TakeAll()).Should().Equal("a", "b");
    }

    [Fact]
    public async Task A_key_in_processing_is_not_handed_out_twice()
    {
        _queue.Add("a");
        (await TakeNow()).Should().Be("a");

        _queue.Add("a");

        _queue.Depth.Should().Be(0);
        (await TakeNow()).Should().BeNull("another worker must not reconcile the same tenant concurrently");
    }

    [Fact]
    public async Task A_key_added_while_processing_is_requeued_after_done()
    {
        _queue.Add("a");
        (await TakeNow()).Should().Be("a");
        _queue.Add("a");
        _queue.Add("a");

        using var cts = new CancellationTokenSource(Patience);
        var waiting = _queue.TakeAsync(cts.Token);
        waiting.IsCompleted.Should().BeFalse();

        _queue.Done("a");

        (await waiting.WaitAsync(Patience)).Should().Be("a");
        _queue.Done("a");
        (await TakeNow()).Should().BeNull("the two adds during processing collapse into one");
    }

    [Fact]
    public async Task Done_without_a_new_add_does_not_requeue()
    {
        _queue.Add("a");
        (await TakeNow()).Should().Be("a");
        _queue.Done("a");
        (await TakeNow()).Should().BeNull();
    }

    [Fact]
    public async Task Other_keys_flow_while_one_is_processing()
    {
        _queue.Add("a");
        (await TakeNow()).Should().Be("a");
        _queue.Add("a");
        _queue.Add("b");
        (await TakeNow()).Should().Be("b");
    }

    [Fact]
    public async Task A_waiting_worker_wakes_when_a_key_is_added()
    {
        using var cts = new CancellationTokenSource(Patience);
        var waiting = _queue.TakeAsync(cts.Token);
        waiting.IsCompleted.Should().BeFalse();

        _queue.Add("a");

        (await waiting.WaitAsync(Patience)).Should().Be("a");
    }

    [Fact]
    public async Task Cancelled_take_returns_null()
    {
        using var cts = new CancellationTokenSource();
        var waiting = _queue.TakeAsync(cts.Token);
        await cts.CancelAsync();
        (await waiting.WaitAsync(Patience)).Should().BeNull();
    }

    [Fact]
    public void AddRateLimited_backs_off_exponentially_and_is_capped()
    {
        using var queue = new WorkQueue(_clock, maxDelay: TimeSpan.FromSeconds(1));

        var delays = Enumerable.Range(0, 8).Select(_ => queue.AddRateLimited("a").TotalMilliseconds).ToList();

        delays.Should().Equal(50, 100, 200, 400, 800, 1000, 1000, 1000);
    }

    [Fact]
    public void Default_backoff_starts_at_50ms_and_is_capped_at_5_minutes()
    {
        var delays = Enumerable.Range(0, 40).Select(_ => _queue.AddRateLimited("a")).ToList();

        delays.Take(3).Should().Equal(TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(200));
        delays.Should().BeInAscendingOrder();
        delays.Last().Should().Be(TimeSpan.FromMinutes(5));
    }

    [Fact]
    public void Backoff_is_per_key()
    {
        _queue.AddRateLimited("a");
        _queue.AddRateLimited("a");
        _queue.AddRateLimited("b").Should().Be(TimeSpan.FromMilliseconds(50));
    }

    [Fact]
    public void Forget_resets_the_backoff()
    {
        _queue.AddRateLimited("a");
        _queue.AddRateLimited("a");
        _queue.AddRateLimited("a").Should().Be(TimeSpan.FromMilliseconds(200));

        _queue.Forget("a");

        _queue.AddRateLimited("a").Should().Be(TimeSpan.FromMilliseconds(50));
    }

    [Fact]
    public async Task A_rate_limited_key_arrives_after_its_delay()
    {
        _queue.AddRateLimited("a");

        _clock.Advance(TimeSpan.FromMilliseconds(49));
        (await TakeNow()).Should().BeNull();
        _clock.Advance(TimeSpan.FromMilliseconds(1));
        (await TakeNow()).Should().Be("a");
    }

    [Fact]
    public async Task AddAfter_fires_at_the_deadline()
    {
        _queue.AddAfter("a", TimeSpan.FromSeconds(10));

        _clock.Advance(TimeSpan.FromSeconds(10) - TimeSpan.FromTicks(1));
        _queue.Depth.Should().Be(0);
        (await TakeNow()).Should().BeNull();

        _clock.Advance(TimeSpan.FromTicks(1));
        (await TakeNow()).Should().Be("a");
    }

    [Fact]
    public async Task AddAfter_with_no_delay_adds_now()
    {
        _queue.AddAfter("a", TimeSpan.Zero);
        _queue.AddAfter("b", TimeSpan.FromSeconds(-3));
        (await TakeAll()).Should().Equal("a", "b");
    }

    [Fact]
    public async Task The_earliest_deadline_wins_when_the_earlier_comes_second()
    {
        _queue.AddAfter("a", TimeSpan.FromSeconds(10));
        _queue.AddAfter("a", TimeSpan.FromSeconds(5));

        _clock.Advance(TimeSpan.FromSeconds(5));
        (await TakeNow()).Should().Be("a");
        _queue.Done("a");

        _clock.Advance(TimeSpan.FromSeconds(10));
        (await TakeNow()).Should().BeNull("the later deadline was replaced, not kept as well");
    }

    [Fact]
    public async Task The_earliest_deadline_wins_when_the_later_comes_second()
    {
        _queue.AddAfter("a", TimeSpan.FromSeconds(5));
        _queue.AddAfter("a", TimeSpan.FromSeconds(10));

        _clock.Advance(TimeSpan.FromSeconds(5));
        (await TakeNow()).Should().Be("a");
        _queue.Done("a");

        _clock.Advance(TimeSpan.FromSeconds(10));
        (await TakeNow()).Should().BeNull();
    }

    [Fact]
    public async Task Deadlines_are_per_key()
    {
        _queue.AddAfter("a", TimeSpan.FromSeconds(10));
        _queue.AddAfter("b", TimeSpan.FromSeconds(5));

        _clock.Advance(TimeSpan.FromSeconds(5));
        (await TakeAll()).Should().Equal("b");
        _clock.Advance(TimeSpan.FromSeconds(5));
        (await TakeAll()).Should().Equal("a");
    }

    [Fact]
    public async Task A_new_deadline_can_be_set_after_one_fired()
    {
        _queue.AddAfter("a", TimeSpan.FromSeconds(1));
        _clock.Advance(TimeSpan.FromSeconds(1));
        (await TakeNow()).Should().Be("a");
        _queue.Done("a");

        _queue.AddAfter("a", TimeSpan.FromSeconds(30));
        _clock.Advance(TimeSpan.FromSeconds(30));
        (await TakeNow()).Should().Be("a");
    }

    [Fact]
    public async Task A_deadline_reached_while_processing_requeues_after_done()
    {
        _queue.Add("a");
        (await TakeNow()).Should().Be("a");
        _queue.AddAfter("a", TimeSpan.FromSeconds(1));
        _clock.Advance(TimeSpan.FromSeconds(1));
        (await TakeNow()).Should().BeNull();

        _queue.Done("a");

        (await TakeNow()).Should().Be("a");
    }

    [Fact]
    public async Task Nothing_is_added_after_dispose()
    {
        var queue = new WorkQueue(_clock);
        queue.AddAfter("a", TimeSpan.FromSeconds(1));
        queue.Dispose();

        queue.Add("b");
        _clock.Advance(TimeSpan.FromSeconds(1));

        queue.Depth.Should().Be(0);
        (await TakeNow(queue)).Should().BeNull();
    }
}
