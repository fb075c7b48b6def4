using Psistats.Agent.Configuration;
using Psistats.Agent.Reporters;
using Psistats.Agent.Reporters.Cpu;
using Psistats.Contracts.Frames;
using Psistats.TestSupport;

namespace Psistats.UnitTests.Reporters;

public sealed class CpuTests
{
    private static ProcStatSample Sample(string testCase, int index) =>
        ProcStat.Parse(File.ReadAllText(RepoPaths.Fixture("cpu", testCase, $"stat.{index}")));

    [Fact]
    public void Parses_the_aggregate_line_and_every_core()
    {
        var sample = Sample("two-cores", 0);

        Assert.Equal(new CpuTimes(11106, 0, 5150, 78063, 309, 0, 65, 16), sample.Total);
        Assert.Equal(2, sample.Cores.Count);
        Assert.Equal(new CpuTimes(5561, 0, 2585, 38885, 253, 0, 56, 9), sample.Cores[1]);
    }

    [Fact]
    public void Percent_busy_from_two_samples()
    {
        var usage = ProcStat.Usage(Sample("two-cores", 0), Sample("two-cores", 1));

        // total: Δbusy = 700 user + 50 system + 100 steal = 850, Δidle = 1100 idle + 50 iowait = 1150.
        Assert.Equal(42.5, usage.Total);
        Assert.Equal(2.5, usage.IoWait);
        Assert.Equal(5.0, usage.Steal);
        // cpu0: busy 150 of 1000; cpu1: busy 700 of 1000.
        Assert.Equal([15.0, 70.0], usage.Cores);
    }

    [Fact]
    public void Counters_that_go_backwards_never_give_negative_or_absurd_values()
    {
        var usage = ProcStat.Usage(Sample("counters-backwards", 0), Sample("counters-backwards", 1));

        // iowait fell by 50: clamped to 0, so busy 100 of 100+100.
        Assert.Equal(50.0, usage.Total);
        Assert.Equal(50.0, usage.Cores[0]);
        Assert.Equal(0.0, usage.Cores[1]);
        Assert.Equal(0.0, usage.IoWait);
    }

    [Fact]
    public void Old_kernels_with_four_columns_parse()
    {
        var usage = ProcStat.Usage(Sample("old-kernel-4-columns", 0), Sample("old-kernel-4-columns", 1));

        Assert.Equal(25.0, usage.Total);
        Assert.Equal([25.0], usage.Cores);
    }

    [Theory]
    [InlineData("intr 1 2 3\n")]
    [InlineData("cpu  1 2 x 4\n")]
    [InlineData("cpu  1 2\n")]
    public void Broken_proc_stat_is_a_format_error(string text) => Assert.Throws<FormatException>(() => ProcStat.Parse(text));

    [Fact]
    public void Reporter_warms_up_on_the_first_reading_then_reports_the_delta()
    {
        using var root = new TempDir();
        var proc = Directory.CreateDirectory(Path.Combine(root.Path, "proc")).FullName;
        var reporter = new CpuReporter(new HostPaths(proc, Path.Combine(root.Path, "sys")));
        File.Copy(RepoPaths.Fixture("cpu", "two-cores", "stat.0"), Path.Combine(proc, "stat"));

        Assert.Equal(ReadingStatus.Warming, reporter.Read().Status);

        File.Copy(RepoPaths.Fixture("cpu", "two-cores", "stat.1"), Path.Combine(proc, "stat"), overwrite: true);
        var reading = reporter.Read();

        Assert.Equal(ReadingStatus.Ok, reading.Status);
        var frame = Assert.IsType<CpuFrame>(reading.Frame);
        Assert.Equal(42.5, frame.Cpu);
        Assert.Equal([15.0, 70.0], frame.CpuCores);
    }
}
