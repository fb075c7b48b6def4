using System.Text;
using Psistats.Agent.Configuration;
using Psistats.Agent.Reporters;
using Psistats.Agent.Reporters.Load;
using Psistats.Contracts.Frames;
using Psistats.TestSupport;

namespace Psistats.UnitTests.Reporters;

public sealed class LoadTests
{
    private static LoadFrame ParseFixture(string name) =>
        LoadReporter.Parse(File.ReadAllBytes(RepoPaths.Fixture("load", name)), name);

    [Fact]
    public void Averages_and_queue_of_an_idle_host()
    {
        var frame = ParseFixture("debian12-idle.loadavg");

        // "0.08 0.03 0.01 1/118 23456": the one runnable entity is the reader itself.
        Assert.Equal((0.08, 0.03, 0.01, 0L, 118L), (frame.Load1, frame.Load5, frame.Load15, frame.RunQueueSize, frame.ProcessListSize));
    }

    [Fact]
    public void Averages_and_queue_of_a_busy_host()
    {
        var frame = ParseFixture("build-server-busy.loadavg");

        // "17.45 12.30 8.02 19/1534 4123456": 19 runnable minus the reader.
        Assert.Equal((17.45, 12.3, 8.02, 18L, 1534L), (frame.Load1, frame.Load5, frame.Load15, frame.RunQueueSize, frame.ProcessListSize));
    }

    [Fact]
    public void The_reporter_reads_proc_loadavg_every_time()
    {
        using var root = new TempDir();
        var reporter = new LoadReporter(new HostPaths(root.Path, root.Path));
        File.Copy(RepoPaths.Fixture("load", "debian12-idle.loadavg"), root.File("loadavg"));
        var first = Assert.IsType<LoadFrame>(reporter.Read().Frame);
        File.Copy(RepoPaths.Fixture("load", "build-server-busy.loadavg"), root.File("loadavg"), overwrite: true);

        var second = reporter.Read();

        Assert.Equal(0.08, first.Load1);
        Assert.Equal(ReadingStatus.Ok, second.Status);
        Assert.Equal(17.45, Assert.IsType<LoadFrame>(second.Frame).Load1);
    }

    [Fact]
    public void A_host_without_loadavg_is_no_data()
    {
        using var root = new TempDir();

        var reading = new LoadReporter(new HostPaths(root.Path, root.Path)).Read();

        Assert.Equal(ReadingStatus.NoData, reading.Status);
        Assert.Null(reading.Frame);
    }

    [Theory]
    [InlineData("")]
    [InlineData("0.08 0.03\n")]
    [InlineData("0.08 0.03 x 1/118 2\n")]
    [InlineData("0.08 0.03 0.01 118 2\n")]
    [InlineData("0.08 0.03 0.01 a/118 2\n")]
    [InlineData("-1.0 0.03 0.01 1/118 2\n")]
    public void A_malformed_loadavg_is_a_format_error(string text) =>
        Assert.Throws<FormatException>(() => LoadReporter.Parse(Encoding.ASCII.GetBytes(text), "loadavg"));
}
