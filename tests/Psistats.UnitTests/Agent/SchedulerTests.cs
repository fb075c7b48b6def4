using Microsoft.Extensions.Logging;
using Psistats.Agent.Configuration;
using Psistats.Agent.Reporters;
using Psistats.Agent.Scheduling;
using Psistats.Contracts.Frames;
using Psistats.TestSupport;

namespace Psistats.UnitTests.Agent;

public sealed class SchedulerTests
{
    private sealed class CountingReporter(string name, Func<int, ReporterReading> read) : IReporter
    {
        private int _calls;

        public string Name => name;

        public int Calls => Volatile.Read(ref _calls);

        public ReporterReading Read() => read(Interlocked.Increment(ref _calls));
    }

    private sealed class ListSink : IFrameSink
    {
        private readonly List<Frame> _frames = [];

        public IReadOnlyList<Frame> Frames
        {
            get
            {
                lock (_frames)
                {
                    return _frames.ToList();
                }
            }
        }

        public List<int> Batches { get; } = [];

        public void Add(Frame frame)
        {
            lock (_frames)
            {
                _frames.Add(frame);
                Batches.Add(1);
            }
        }

        public void AddRange(IReadOnlyList<Frame> frames)
        {
            lock (_frames)
            {
                _frames.AddRange(frames);
                Batches.Add(frames.Count);
            }
        }
    }

    private static readonly AgentOptions Options = new() { Hostname = "web01.example.com" };

    private static async Task AdvanceAsync(FakeTimeProvider clock, TimeSpan total, TimeSpan step)
    {
        for (var t = TimeSpan.Zero; t < total; t += step)
        {
            clock.Advance(step);
            await Task.Delay(5);
        }
    }

    [Fact]
    public async Task Each_reporter_runs_on_its_own_interval_and_frames_carry_the_envelope()
    {
        var clock = new FakeTimeProvider();
        var fast = new CountingReporter("uptime", _ => ReporterReading.Ok(new UptimeFrame { Uptime = 1 }));
        var slow = new CountingReporter("mem", _ => ReporterReading.Ok(new MemFrame { Mem = 1, MemTotal = 1 }));
        var sink = new ListSink();
        using var logs = new CapturingLoggerProvider();
        using var scheduler = new ReporterScheduler(
            [new ScheduledReporter(fast, TimeSpan.FromSeconds(1)), new ScheduledReporter(slow, TimeSpan.FromSeconds(5))],
            sink, Options, clock, logs.CreateLogger<ReporterScheduler>());

        await scheduler.StartAsync(CancellationToken.None);
        await Eventually.TrueAsync(() => fast.Calls == 1 && slow.Calls == 1 && clock.ActiveTimers == 2, TimeSpan.FromSeconds(5), "first readings at start");
        for (var second = 1; second <= 10; second++)
        {
            clock.Advance(TimeSpan.FromSeconds(1));
            var expectedFast = second + 1;
            await Eventually.TrueAsync(() => fast.Calls == expectedFast, TimeSpan.FromSeconds(5), $"fast reporter at t={second}s");
        }

        await Eventually.TrueAsync(() => slow.Calls == 3, TimeSpan.FromSeconds(5), "slow reporter at t=0, 5, 10 s");
        await scheduler.StopAsync(CancellationToken.None);

        Assert.Equal(11, fast.Calls);
        Assert.Equal(3, slow.Calls);
        var first = sink.Frames.OfType<UptimeFrame>().First();
        Assert.Equal("web01.example.com", first.Hostname);
        Assert.Equal(Frame.ToUnixSeconds(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero)), first.Timestamp);
        Assert.Equal(1.0, first.Interval);
        Assert.Equal(5.0, sink.Frames.OfType<MemFrame>().First().Interval);
    }

    [Fact]
    public async Task A_failing_reporter_is_counted_logged_once_per_state_change_and_never_stops_the_others()
    {
        var clock = new FakeTimeProvider();
        // Fails on readings 2-4, recovers on 5.
        var flaky = new CountingReporter("cpu", n => n is >= 2 and <= 4
            ? throw new IOException("/proc/stat: Input/output error")
            : ReporterReading.Ok(new CpuFrame { Cpu = 1 }));
        var steady = new CountingReporter("uptime", _ => ReporterReading.Ok(new UptimeFrame { Uptime = 1 }));
        var sink = new ListSink();
        using var logs = new CapturingLoggerProvider();
        using var scheduler = new ReporterScheduler(
            [new ScheduledReporter(flaky, TimeSpan.FromSeconds(1)), new ScheduledReporter(steady, TimeSpan.FromSeconds(1))],
            sink, Options, clock, logs.CreateLogger<ReporterScheduler>());

        await scheduler.StartAsync(CancellationToken.None);
        // Same interval: one shared timer.
        await Eventually.TrueAsync(() => flaky.Calls == 1 && steady.Calls == 1 && clock.ActiveTimers == 1, TimeSpan.FromSeconds(5), "first readings");
        for (var second = 1; second <= 5; second++)
        {
            clock.Advance(TimeSpan.FromSeconds(1));
            var expected = second + 1;
            await Eventually.TrueAsync(() => flaky.Calls == expected && steady.Calls == expected, TimeSpan.FromSeconds(5), $"readings at t={second}s");
        }

        await scheduler.StopAsync(CancellationToken.None);

        var health = scheduler.Health["cpu"];
        Assert.Equal(3, health.Failures);
        Assert.Equal(ReporterState.Ok, health.State);
        Assert.Equal(3, sink.Frames.OfType<CpuFrame>().Count());
        Assert.Equal(6, sink.Frames.OfType<UptimeFrame>().Count());
        Assert.Single(logs.Lines, l => l.Contains("Reporter cpu failed", StringComparison.Ordinal));
        Assert.Equal(2, logs.Lines.Count(l => l.Contains("Reporter cpu is reporting", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Host_reporters_sharing_an_interval_share_a_tick_and_hand_their_frames_over_together()
    {
        var clock = new FakeTimeProvider();
        var cpu = new CountingReporter("cpu", _ => ReporterReading.Ok(new CpuFrame { Cpu = 1 }));
        var mem = new CountingReporter("mem", _ => ReporterReading.Ok(new MemFrame { Mem = 1, MemTotal = 1 }));
        var uptime = new CountingReporter("uptime", _ => ReporterReading.Ok(new UptimeFrame { Uptime = 1 }));
        var sink = new ListSink();
        using var logs = new CapturingLoggerProvider();
        using var scheduler = new ReporterScheduler(
        [
            new ScheduledReporter(cpu, TimeSpan.FromSeconds(1)),
            new ScheduledReporter(mem, TimeSpan.FromSeconds(1)),
            new ScheduledReporter(uptime, TimeSpan.FromSeconds(60)),
        ], sink, Options, clock, logs.CreateLogger<ReporterScheduler>());

        Assert.Equal([2, 1], scheduler.Loops.Select(l => l.Count));
        await scheduler.StartAsync(CancellationToken.None);
        await Eventually.TrueAsync(() => sink.Frames.Count == 3 && clock.ActiveTimers == 2, TimeSpan.FromSeconds(5), "first readings");
        clock.Advance(TimeSpan.FromSeconds(1));
        await Eventually.TrueAsync(() => sink.Frames.Count == 5, TimeSpan.FromSeconds(5), "second tick of the 1 s group");
        await scheduler.StopAsync(CancellationToken.None);

        lock (sink.Frames)
        {
            Assert.Equal(4, sink.Batches.Where(b => b == 2).Sum());
            Assert.Equal(1, sink.Batches.Count(b => b == 1));
        }
    }

    [Fact]
    public async Task No_data_is_its_own_state_logged_once_and_still_publishes_the_null_frame()
    {
        var clock = new FakeTimeProvider();
        var sensorless = new CountingReporter("cpu_temp", _ => ReporterReading.NoData("no CPU sensor", new CpuTempFrame()));
        var sink = new ListSink();
        using var logs = new CapturingLoggerProvider();
        var scheduled = new ScheduledReporter(sensorless, TimeSpan.FromSeconds(5));
        using var scheduler = new ReporterScheduler([scheduled], sink, Options, clock, logs.CreateLogger<ReporterScheduler>());

        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(ReadingStatus.NoData, await scheduler.RunOnceAsync(scheduled, CancellationToken.None));
        }

        Assert.Equal(3, sink.Frames.Count);
        Assert.All(sink.Frames, f => Assert.Null(((CpuTempFrame)f).CpuTemp));
        Assert.Equal(3, scheduler.Health["cpu_temp"].NoDataReadings);
        Assert.Single(logs.Lines, l => l.Contains("no data on this host", StringComparison.Ordinal));
    }
}
