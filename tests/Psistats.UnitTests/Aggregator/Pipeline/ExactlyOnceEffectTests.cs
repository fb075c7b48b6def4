using Psistats.Aggregator.Configuration;
using Psistats.Aggregator.Pipeline;
using Psistats.Aggregator.State;

namespace Psistats.UnitTests.Aggregator.Pipeline;

/// <summary>
/// A frame's effects are committed at most once: frames the broker redelivers after a crash (they were applied, not yet
/// acknowledged) and frames an agent re-sends are recognised by their position and skipped.
/// </summary>
public sealed class ExactlyOnceEffectTests
{
    [Fact]
    public void Frames_redelivered_after_a_crash_commit_no_second_transition()
    {
        using var bed = new PipelineBed();
        // Fires at seq 2, resolves at seq 4; nothing acknowledged when the aggregator is killed.
        var frames = new[] { (10.0, 1L), (95, 2), (96, 3), (20, 4), (21, 5) }
            .Select(f => PipelineBed.Cpu("web01", f.Item1, f.Item2, 1000 + f.Item2)).ToList();
        foreach (var frame in frames)
        {
            Assert.Equal(FrameOutcome.Applied, bed.Receive(frame));
            bed.Clock.Advance(TimeSpan.FromSeconds(2));
        }

        var before = bed.Transitions();
        Assert.Equal(["FIRING web01 cpu_high", "RESOLVED web01 cpu_high"], before);

        bed.Crash();
        var outcomes = frames.Select(bed.Receive).ToList();

        // Up to the last frame whose effects were committed (seq 4) the redeliveries are replays; seq 5 changed nothing in the
        // database and is applied again, rebuilding what memory lost.
        Assert.Equal([FrameOutcome.Replay, FrameOutcome.Replay, FrameOutcome.Replay, FrameOutcome.Replay, FrameOutcome.Applied], outcomes);
        Assert.Equal(before, bed.Transitions());
        Assert.Equal(4, bed.Pipeline.Replays);
    }

    [Fact]
    public void A_frame_re_sent_by_the_agent_after_a_later_one_is_skipped()
    {
        using var bed = new PipelineBed();
        bed.Receive(PipelineBed.Cpu("web01", 95, 1, 1001)); // fires
        bed.Receive(PipelineBed.Cpu("web01", 20, 2, 1002)); // resolves

        // The agent lost its connection before seq 1's confirm and publishes it again.
        Assert.Equal(FrameOutcome.Replay, bed.Receive(PipelineBed.Cpu("web01", 95, 1, 1001)));

        Assert.Equal(["FIRING web01 cpu_high", "RESOLVED web01 cpu_high"], bed.Transitions());
    }

    [Fact]
    public void An_agent_restarted_without_a_spool_starts_again_at_seq_1_and_is_applied()
    {
        using var bed = new PipelineBed();
        bed.Receive(PipelineBed.Cpu("web01", 10, 500, 1000));

        // seq went back, the timestamp went on: a new run of the agent, not a replay.
        Assert.Equal(FrameOutcome.Applied, bed.Receive(PipelineBed.Cpu("web01", 95, 1, 1010)));
        // A clock stepped back with seq going on: not a replay either.
        Assert.Equal(FrameOutcome.Applied, bed.Receive(PipelineBed.Cpu("web01", 20, 2, 900)));
        Assert.Equal(["FIRING web01 cpu_high", "RESOLVED web01 cpu_high"], bed.Transitions());
    }

    [Fact]
    public void Frames_without_seq_are_never_taken_for_replays()
    {
        using var bed = new PipelineBed();
        var frame = RuleFramesEnvelope("""{"hostname":"legacy","reporter":"cpu","timestamp":5,"cpu":95,"cpu_cores":[95]}""");

        Assert.Equal(FrameOutcome.Applied, bed.Receive(frame));
        Assert.Equal(FrameOutcome.Applied, bed.Receive(frame));
    }

    [Fact]
    public void New_hosts_past_max_hosts_or_the_new_host_rate_are_refused_and_known_hosts_never_are()
    {
        using var bed = new PipelineBed(new AggregatorOptions { MaxHosts = 3, NewHostsPerMinute = 2 });

        Assert.Equal(FrameOutcome.Applied, bed.Receive(PipelineBed.Cpu("a", 1, 1, 1)));
        Assert.Equal(FrameOutcome.Applied, bed.Receive(PipelineBed.Cpu("b", 1, 1, 1)));
        Assert.Equal(FrameOutcome.TooManyHosts, bed.Receive(PipelineBed.Cpu("c", 1, 1, 1))); // the bucket of 2 is empty
        Assert.Equal(FrameOutcome.Applied, bed.Receive(PipelineBed.Cpu("a", 1, 2, 2)));

        bed.Clock.Advance(TimeSpan.FromSeconds(30)); // one token back
        Assert.Equal(FrameOutcome.Applied, bed.Receive(PipelineBed.Cpu("c", 1, 1, 1)));
        bed.Clock.Advance(TimeSpan.FromMinutes(5));
        Assert.Equal(FrameOutcome.TooManyHosts, bed.Receive(PipelineBed.Cpu("d", 1, 1, 1))); // max_hosts 3
        Assert.Equal(3, bed.Hosts.Count);
    }

    [Fact]
    public void A_host_down_longer_than_forget_after_is_forgotten_with_its_alerts_resolved()
    {
        using var bed = new PipelineBed(new AggregatorOptions { DownAfter = TimeSpan.FromSeconds(30), ForgetAfter = TimeSpan.FromMinutes(10) });
        bed.Receive(PipelineBed.Cpu("gone", 95, 1, 1));
        bed.Receive(PipelineBed.Cpu("stays", 10, 1, 1));
        for (var i = 0; i < 12 * 60; i++)
        {
            bed.Clock.Advance(TimeSpan.FromSeconds(1));
            if (i % 10 == 0)
            {
                bed.Receive(PipelineBed.Cpu("stays", 10, 2 + i, 2 + i));
            }

            bed.Pipeline.Tick(bed.Clock.GetUtcNow(), consuming: true, connectedOnce: true);
        }

        Assert.Equal(1, bed.Hosts.Count);
        Assert.NotNull(bed.Hosts.Host("stays", bed.Clock.GetUtcNow()));
        Assert.Equal(["FIRING gone cpu_high", "FIRING gone host_down", "RESOLVED gone cpu_high", "RESOLVED gone host_down"],
            bed.Transitions().Order(StringComparer.Ordinal));
        Assert.Contains(bed.Alerts.Events(new() { Kind = HostEventKinds.Forgotten }), e => e.Host == "gone");

        bed.Crash();
        Assert.Null(bed.Hosts.Host("gone", bed.Clock.GetUtcNow()));
        Assert.Equal(1, bed.Hosts.Count);
    }

    private static Psistats.Contracts.Frames.FrameEnvelope RuleFramesEnvelope(string json) => Rules.RuleFrames.Envelope(json);
}
