using Psistats.Aggregator.Pipeline;

namespace Psistats.UnitTests.Aggregator;

public sealed class BlindSpotTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan DownAfter = TimeSpan.FromSeconds(30);

    private static BlindSpot Spot() => new(DownAfter, TimeSpan.FromSeconds(5));

    private static DateTimeOffset At(double seconds) => T0.AddSeconds(seconds);

    [Fact]
    public void While_consuming_with_ticks_on_time_down_detection_runs_and_nothing_else_happens()
    {
        var spot = Spot();
        for (var s = 0; s < 100; s++)
        {
            var step = spot.Observe(At(s), consuming: true);
            Assert.Equal(new BlindSpotStep { CheckDown = true }, step);
        }
    }

    [Fact]
    public void Not_consuming_pauses_down_detection_fires_once_after_down_after_and_resolves_with_a_rebase_when_back()
    {
        var spot = Spot();
        spot.Observe(At(0), consuming: true);

        var first = spot.Observe(At(1), consuming: false);
        Assert.False(first.CheckDown);
        Assert.True(first.Began);
        Assert.False(first.Fire);
        Assert.Equal(At(1), spot.BlindSince);

        var fired = new List<double>();
        for (var s = 2; s <= 60; s++)
        {
            var step = spot.Observe(At(s), consuming: false);
            Assert.False(step.CheckDown);
            Assert.False(step.Began);
            if (step.Fire)
            {
                fired.Add(s);
            }
        }

        Assert.Equal([32.0], fired); // blind for 31 s > down_after 30 s; once

        var back = spot.Observe(At(61), consuming: true);
        Assert.False(back.CheckDown);
        Assert.True(back.Ended);
        Assert.Equal(At(61), back.RebaseFrom);
        Assert.Equal(At(32), back.Resolve);
        Assert.Equal(TimeSpan.FromSeconds(60), back.BlindFor);
        Assert.Null(spot.BlindSince);

        Assert.True(spot.Observe(At(62), consuming: true).CheckDown);
    }

    [Fact]
    public void Blindness_before_the_first_connection_is_startup_and_later_blindness_is_not()
    {
        var spot = Spot();
        Assert.True(spot.Observe(At(0), consuming: false, startup: true).Startup);
        var connected = spot.Observe(At(1), consuming: true);
        Assert.True(connected.Ended);
        Assert.True(connected.Startup);

        var lost = spot.Observe(At(2), consuming: false);
        Assert.True(lost.Began);
        Assert.False(lost.Startup);
        var back = spot.Observe(At(3), consuming: true);
        Assert.True(back.Ended);
        Assert.False(back.Startup);
    }

    [Fact]
    public void A_consumer_lost_before_any_tick_saw_it_consuming_is_not_startup()
    {
        // The consumer connected and was lost again between two ticks: the caller says it has consumed (startup false).
        var spot = Spot();
        Assert.True(spot.Observe(At(0), consuming: false, startup: true).Startup);
        var lost = spot.Observe(At(1), consuming: false, startup: false);
        Assert.True(lost.Began); // a new blindness, logged, counted from now
        Assert.False(lost.Startup);
        Assert.Equal(At(1), spot.BlindSince);

        var back = spot.Observe(At(2), consuming: true);
        Assert.True(back.Ended);
        Assert.False(back.Startup);
        Assert.Equal(TimeSpan.FromSeconds(1), back.BlindFor);
    }

    [Fact]
    public void A_short_disconnection_rebases_without_an_alert()
    {
        var spot = Spot();
        spot.Observe(At(0), consuming: false);
        spot.Observe(At(10), consuming: false);
        var back = spot.Observe(At(11), consuming: true);

        Assert.True(back.Ended);
        Assert.Null(back.Resolve);
        Assert.Equal(At(11), back.RebaseFrom);
        Assert.Equal(TimeSpan.FromSeconds(11), back.BlindFor);
    }

    [Fact]
    public void A_late_tick_is_a_stall_of_the_aggregator_itself_no_down_detection_and_a_rebase()
    {
        var spot = Spot();
        spot.Observe(At(0), consuming: true);
        Assert.True(spot.Observe(At(4.9), consuming: true).CheckDown); // late, but within 5 s

        var stalled = spot.Observe(At(184.9), consuming: true);
        Assert.False(stalled.CheckDown);
        Assert.Equal(TimeSpan.FromSeconds(180), stalled.Stall);
        Assert.Equal(At(184.9), stalled.RebaseFrom);
        Assert.False(stalled.Ended);

        Assert.True(spot.Observe(At(185.9), consuming: true).CheckDown);
    }

    [Fact]
    public void A_stall_while_not_consuming_counts_the_blindness_from_the_last_tick_that_ran()
    {
        var spot = Spot();
        spot.Observe(At(0), consuming: true);
        var step = spot.Observe(At(40), consuming: false);

        Assert.Equal(At(0), spot.BlindSince);
        Assert.True(step.Fire); // 40 s blind > 30 s
    }

    [Fact]
    public void An_alert_firing_before_a_restart_is_resolved_once_the_consumer_is_back()
    {
        var spot = Spot();
        spot.RestoreFiring(At(-100));
        var blind = spot.Observe(At(0), consuming: false);
        Assert.False(blind.Fire); // already firing

        var back = spot.Observe(At(1), consuming: true);
        Assert.Equal(At(-100), back.Resolve);
    }

    [Fact]
    public void An_alert_firing_before_a_restart_with_the_consumer_up_at_once_is_resolved_at_the_first_tick()
    {
        var spot = Spot();
        spot.RestoreFiring(At(-100));
        var step = spot.Observe(At(0), consuming: true);

        Assert.Equal(At(-100), step.Resolve);
        Assert.True(spot.Observe(At(1), consuming: true).CheckDown);
    }
}
