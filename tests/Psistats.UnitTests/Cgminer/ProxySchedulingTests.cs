using Psistats.Agent.Cgminer;
using Psistats.Agent.Configuration;
using Psistats.Agent.Reporters;
using Psistats.Agent.Scheduling;
using Psistats.Contracts.Frames;
using Psistats.TestSupport;

namespace Psistats.UnitTests.Cgminer;

public sealed class ProxySchedulingTests
{
    private sealed class ListSink : IFrameSink
    {
        private readonly List<Frame> _frames = [];

        public IReadOnlyList<Frame> Of(string hostname)
        {
            lock (_frames)
            {
                return _frames.Where(f => f.Hostname == hostname).ToList();
            }
        }

        public void Add(Frame frame)
        {
            lock (_frames)
            {
                _frames.Add(frame);
            }
        }
    }

    private sealed class UptimeReporter : IReporter
    {
        public string Name => UptimeFrame.Name;

        public ReporterReading Read() => ReporterReading.Ok(new UptimeFrame { Uptime = 1 });
    }

    private static ScheduledReporter Miner(string name, int port, TimeSpan interval, TimeProvider clock, params string[] commands) =>
        new(new CgminerReporter(new CgminerOptions
        {
            Name = name,
            Host = "127.0.0.1",
            Port = port,
            Hostname = name,
            Interval = interval,
            Commands = commands.Length > 0 ? commands : CgminerOptions.AllCommands,
        }, clock), interval) { Key = $"cgminer:{name}", Hostname = name };

    [Fact]
    public async Task A_miner_that_never_answers_gives_a_timeout_frame_within_timeout_plus_one_second_while_the_others_keep_their_schedule()
    {
        var clock = new FakeTimeProvider();
        var start = Frame.ToUnixSeconds(clock.GetUtcNow());
        await using var healthy = FakeMiner.Cointerra();
        await using var hung = new FakeMiner((_, _) => new FakeReply.Hang());
        var sink = new ListSink();
        using var logs = new CapturingLoggerProvider();
        var options = new AgentOptions { Hostname = "proxy01" };
        using var scheduler = new ReporterScheduler(
            [
                new ScheduledReporter(new UptimeReporter(), TimeSpan.FromSeconds(1)),
                Miner("terra01", healthy.Port, TimeSpan.FromSeconds(1), clock, "summary"),
                Miner("terra02", hung.Port, TimeSpan.FromSeconds(30), clock),
            ],
            sink, options, clock, logs.CreateLogger<ReporterScheduler>());

        await scheduler.StartAsync(CancellationToken.None);
        // Three periodic timers and the hung read's 5 s timeout.
        await Eventually.TrueAsync(() => sink.Of("terra01").Count == 1 && sink.Of("proxy01").Count == 1 && hung.Requests == 1 && clock.ActiveTimers == 4,
            TimeSpan.FromSeconds(5), "first readings at start");
        for (var second = 1; second <= 6; second++)
        {
            if (second == 5)
            {
                Assert.Empty(sink.Of("terra02"));
            }

            clock.Advance(TimeSpan.FromSeconds(1));
            var expected = second + 1;
            await Eventually.TrueAsync(() => sink.Of("terra01").Count == expected && sink.Of("proxy01").Count == expected,
                TimeSpan.FromSeconds(5), $"terra01 and uptime at t={second}s while terra02 hangs");
        }

        await Eventually.TrueAsync(() => sink.Of("terra02").Count == 1, TimeSpan.FromSeconds(5), "terra02's frame");
        await scheduler.StopAsync(CancellationToken.None);

        var dead = Assert.IsType<CgminerFrame>(Assert.Single(sink.Of("terra02")));
        Assert.False(dead.ApiOk);
        Assert.Equal(CgminerErrorKind.Timeout, dead.Error!.Kind);
        Assert.InRange(dead.Timestamp - start, 5, 6);
        Assert.Equal(30, dead.Interval);
        Assert.Equal([0.0, 1, 2, 3, 4, 5, 6], sink.Of("terra01").Select(f => f.Timestamp - start));
        Assert.All(sink.Of("terra01"), f => Assert.True(((CgminerFrame)f).ApiOk));
        Assert.Equal(ReporterState.Failed, scheduler.Health["cgminer:terra02"].State);
        Assert.Equal(ReporterState.Ok, scheduler.Health["cgminer:terra01"].State);
        Assert.Single(logs.Lines, l => l.Contains("Reporter cgminer:terra02 failed: 127.0.0.1:", StringComparison.Ordinal)
            && l.Contains("asccount: timeout: no complete reply", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_miner_that_comes_back_is_logged_once_each_way_and_its_frames_carry_its_name()
    {
        var clock = new FakeTimeProvider();
        var answering = false;
        await using var miner = new FakeMiner((command, parameter) => Volatile.Read(ref answering)
            ? FakeReply.Fixture($"cointerra-4.3.5/{command}{parameter}.reply")
            : new FakeReply.Bytes([]));
        var sink = new ListSink();
        using var logs = new CapturingLoggerProvider();
        var unit = Miner("terra01", miner.Port, TimeSpan.FromSeconds(30), clock, "summary");
        using var scheduler = new ReporterScheduler([unit], sink, new AgentOptions { Hostname = "proxy01" }, clock, logs.CreateLogger<ReporterScheduler>());

        var statuses = new List<ReadingStatus?>();
        for (var i = 0; i < 4; i++)
        {
            Volatile.Write(ref answering, i >= 2);
            statuses.Add(await scheduler.RunOnceAsync(unit, CancellationToken.None));
        }

        Assert.Equal([ReadingStatus.Failed, ReadingStatus.Failed, ReadingStatus.Ok, ReadingStatus.Ok], statuses);
        Assert.Equal(4, sink.Of("terra01").Count);
        Assert.Equal([false, false, true, true], sink.Of("terra01").Select(f => ((CgminerFrame)f).ApiOk));
        Assert.Equal(2, scheduler.Health["cgminer:terra01"].Failures);
        Assert.Single(logs.Lines, l => l.Contains("Reporter cgminer:terra01 failed", StringComparison.Ordinal) && l.Contains("summary: empty", StringComparison.Ordinal));
        Assert.Single(logs.Lines, l => l.Contains("Reporter cgminer:terra01 is reporting (every 30 s)", StringComparison.Ordinal));
    }
}
