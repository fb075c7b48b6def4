using System.Text.Json;
using Psistats.Agent.Publishing;
using Psistats.Contracts.Configuration;
using Psistats.Contracts.Frames;
using Psistats.TestSupport;

namespace Psistats.UnitTests.Agent;

public sealed class OutboxTests
{
    private static UptimeFrame Frame(double uptime) => new() { Hostname = "web01.example.com", Timestamp = 1795290238.944, Interval = 1, Uptime = uptime };

    private static double Uptime(OutgoingFrame f) => JsonDocument.Parse(f.Body).RootElement.GetProperty("uptime").GetDouble();

    [Fact]
    public void Frames_wait_in_order_with_routing_key_sequence_and_ids()
    {
        using var logs = new CapturingLoggerProvider();
        var outbox = new MemoryOutbox(10, new BrokerOptions { Prefix = "psistats" }, new FakeTimeProvider(), logs.CreateLogger<MemoryOutbox>());

        outbox.Add(Frame(1));
        outbox.Add(Frame(2));

        var waiting = outbox.Peek(10);
        Assert.Equal([1L, 2L], waiting.Select(f => f.Sequence));
        Assert.All(waiting, f => Assert.Equal("psistats.web01_example_com.uptime", f.RoutingKey));
        Assert.All(waiting, f => Assert.Equal(1795290238, f.Timestamp));
        Assert.Equal(2, waiting.Select(f => f.MessageId).Distinct().Count());
        Assert.Equal(2, JsonDocument.Parse(waiting[1].Body).RootElement.GetProperty("seq").GetInt64());
    }

    [Fact]
    public void When_full_the_oldest_are_dropped_counted_and_logged_once_a_minute()
    {
        var clock = new FakeTimeProvider();
        using var logs = new CapturingLoggerProvider();
        var outbox = new MemoryOutbox(3, new BrokerOptions(), clock, logs.CreateLogger<MemoryOutbox>());

        for (var i = 1; i <= 6; i++)
        {
            outbox.Add(Frame(i));
        }

        Assert.Equal(3, outbox.Count);
        Assert.Equal(3, outbox.Dropped);
        Assert.Equal([4.0, 5.0, 6.0], outbox.Peek(10).Select(Uptime));
        Assert.Single(logs.Lines, l => l.Contains("outbox full (3 frames)", StringComparison.Ordinal));

        clock.Advance(TimeSpan.FromMinutes(1));
        outbox.Add(Frame(7));

        Assert.Equal(2, logs.Lines.Count(l => l.Contains("outbox full (3 frames)", StringComparison.Ordinal)));
        Assert.Contains(logs.Lines, l => l.Contains("4 dropped since start", StringComparison.Ordinal));
    }

    [Fact]
    public void Only_confirmed_frames_leave_and_a_drop_during_a_publish_does_not_lose_the_rest()
    {
        using var logs = new CapturingLoggerProvider();
        var outbox = new MemoryOutbox(3, new BrokerOptions(), new FakeTimeProvider(), logs.CreateLogger<MemoryOutbox>());
        outbox.Add(Frame(1));
        outbox.Add(Frame(2));
        outbox.Add(Frame(3));
        var batch = outbox.Peek(2);

        outbox.Add(Frame(4)); // drops frame 1 while frames 1-2 are being published
        outbox.RemoveThrough(batch[^1].Sequence);

        Assert.Equal([3.0, 4.0], outbox.Peek(10).Select(Uptime));
    }

    [Fact]
    public async Task Waiting_completes_when_a_frame_arrives()
    {
        using var logs = new CapturingLoggerProvider();
        var outbox = new MemoryOutbox(3, new BrokerOptions(), new FakeTimeProvider(), logs.CreateLogger<MemoryOutbox>());
        var wait = outbox.WaitForFramesAsync(CancellationToken.None);

        Assert.False(wait.IsCompleted);
        outbox.Add(Frame(1));

        await wait.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.True(outbox.WaitForFramesAsync(CancellationToken.None).IsCompleted);
    }
}
