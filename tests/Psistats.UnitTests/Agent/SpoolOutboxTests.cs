using System.Text.Json;
using Psistats.Agent.Publishing;
using Psistats.Contracts.Configuration;
using Psistats.Contracts.Frames;
using Psistats.TestSupport;

namespace Psistats.UnitTests.Agent;

public sealed class SpoolOutboxTests : IDisposable
{
    private readonly TempDir _dir = new();
    private readonly CapturingLoggerProvider _logs = new();
    private readonly FakeTimeProvider _clock = new();

    private SpoolOutbox Open(long maxBytes = 1024 * 1024) =>
        new(_dir.Path, maxBytes, new BrokerOptions { Prefix = "psistats" }, _clock, _logs.CreateLogger<SpoolOutbox>());

    private static UptimeFrame Frame(double uptime) => new() { Hostname = "web01.example.com", Timestamp = 1795290238.944, Interval = 1, Uptime = uptime };

    private static double Uptime(OutgoingFrame f) => JsonDocument.Parse(f.Body).RootElement.GetProperty("uptime").GetDouble();

    public void Dispose()
    {
        _logs.Dispose();
        _dir.Dispose();
    }

    [Fact]
    public void Frames_are_on_disk_before_they_are_published_and_leave_only_when_confirmed()
    {
        using var spool = Open();
        spool.Add(Frame(1));
        spool.Add(Frame(2));

        var segment = Assert.Single(Directory.GetFiles(_dir.Path, "segment-*.log"));
        Assert.Equal(2, File.ReadAllLines(segment).Length);
        var batch = spool.Peek(10);
        Assert.Equal([1L, 2L], batch.Select(f => f.Sequence));
        Assert.Equal("psistats.web01_example_com.uptime", batch[0].RoutingKey);
        Assert.Equal(2, spool.Count);

        spool.RemoveThrough(1);

        Assert.Equal(1, spool.Count);
        Assert.Equal([2.0], spool.Peek(10).Select(Uptime));
        Assert.Equal("1", File.ReadAllText(Path.Combine(_dir.Path, "confirmed")));
    }

    [Fact]
    public void Unconfirmed_frames_survive_a_restart_with_their_ids_and_numbering_continues()
    {
        string firstId;
        using (var spool = Open())
        {
            for (var i = 1; i <= 5; i++)
            {
                spool.Add(Frame(i));
            }

            firstId = spool.Peek(3)[2].MessageId;
            spool.RemoveThrough(2);
        }

        using var reopened = Open();
        Assert.Equal(3, reopened.Count);
        var waiting = reopened.Peek(10);
        Assert.Equal([3L, 4L, 5L], waiting.Select(f => f.Sequence));
        Assert.Equal(firstId, waiting[0].MessageId);
        Assert.Contains(_logs.Lines, l => l.Contains("3 frames waiting from before this start", StringComparison.Ordinal));

        reopened.Add(Frame(6));

        Assert.Equal([3L, 4L, 5L, 6L], reopened.Peek(10).Select(f => f.Sequence));
        Assert.Equal(6, JsonDocument.Parse(reopened.Peek(10)[3].Body).RootElement.GetProperty("seq").GetInt64());
    }

    [Fact]
    public void A_torn_last_line_from_a_crash_is_ignored()
    {
        using (var spool = Open())
        {
            spool.Add(Frame(1));
            spool.Add(Frame(2));
        }

        var segment = Directory.GetFiles(_dir.Path, "segment-*.log").Single();
        File.AppendAllText(segment, "3\tpsistats.x.uptime\tuptime\tid\t17952902");

        using var reopened = Open();

        Assert.Equal([1L, 2L], reopened.Peek(10).Select(f => f.Sequence));
        reopened.Add(Frame(3));
        Assert.Equal([1L, 2L, 3L], reopened.Peek(10).Select(f => f.Sequence));
    }

    [Fact]
    public void A_garbled_line_is_logged_and_skipped_not_fatal()
    {
        using (var spool = Open())
        {
            spool.Add(Frame(1));
        }

        var segment = Directory.GetFiles(_dir.Path, "segment-*.log").Single();
        File.AppendAllText(segment, "garbage without tabs\n");

        using var reopened = Open();
        reopened.Add(Frame(2));

        Assert.Equal([1L, 2L], reopened.Peek(10).Select(f => f.Sequence));
        Assert.Contains(_logs.Lines, l => l.Contains("skipped an unreadable line", StringComparison.Ordinal));
    }

    [Fact]
    public void Past_the_bound_the_oldest_segments_are_dropped_counted_and_logged()
    {
        using var spool = Open(maxBytes: 64 * 1024);
        var added = 0;
        while (spool.TotalBytes < 60 * 1024)
        {
            spool.Add(Frame(++added));
        }

        for (var i = 0; i < 200; i++)
        {
            spool.Add(Frame(++added));
        }

        Assert.True(spool.TotalBytes <= 64 * 1024, $"{spool.TotalBytes} bytes on disk");
        Assert.True(spool.Dropped > 0);
        Assert.Equal(added, spool.Count + spool.Dropped);
        var oldest = spool.Peek(1)[0].Sequence;
        Assert.Equal(spool.Dropped + 1, oldest);
        Assert.Equal(added, spool.Peek(100_000)[^1].Sequence);
        Assert.Contains(_logs.Lines, l => l.Contains("dropped since start", StringComparison.Ordinal));
    }

    [Fact]
    public void Confirmed_segments_are_deleted_and_reading_follows_across_segments()
    {
        using var spool = Open(maxBytes: 64 * 1024);
        for (var i = 1; i <= 100; i++)
        {
            spool.Add(Frame(i));
        }

        Assert.True(Directory.GetFiles(_dir.Path, "segment-*.log").Length > 1, "4 KiB segments: 100 frames span several");
        var seen = new List<long>();
        while (spool.Count > 0)
        {
            var batch = spool.Peek(7);
            seen.AddRange(batch.Select(f => f.Sequence));
            spool.RemoveThrough(batch[^1].Sequence);
        }

        Assert.Equal(Enumerable.Range(1, 100).Select(i => (long)i), seen);
        Assert.Single(Directory.GetFiles(_dir.Path, "segment-*.log"));
    }

    [Fact]
    public async Task Waiting_completes_when_a_frame_is_spooled()
    {
        using var spool = Open();
        var wait = spool.WaitForFramesAsync(CancellationToken.None);
        Assert.False(wait.IsCompleted);

        spool.Add(Frame(1));

        await wait.WaitAsync(TimeSpan.FromSeconds(5));
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void The_spool_is_readable_by_the_agent_alone()
    {
        using (var spool = Open())
        {
            spool.Add(Frame(1));
            spool.RemoveThrough(spool.Peek(1)[0].Sequence);
            spool.Add(Frame(2));
        }

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(_dir.Path));
        var files = Directory.GetFiles(_dir.Path);
        Assert.NotEmpty(files);
        Assert.All(files, f => Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(f)));
    }
}
