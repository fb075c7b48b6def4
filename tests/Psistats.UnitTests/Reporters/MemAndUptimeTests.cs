using Psistats.Agent.Configuration;
using Psistats.Agent.Reporters.Mem;
using Psistats.Agent.Reporters.Uptime;
using Psistats.Contracts.Frames;
using Psistats.TestSupport;

namespace Psistats.UnitTests.Reporters;

public sealed class MemAndUptimeTests
{
    [Fact]
    public void Meminfo_values_are_bytes()
    {
        var values = MemInfo.Parse(File.ReadAllText(RepoPaths.Fixture("mem", "debian12-vm.meminfo")));

        Assert.Equal(24684100L * 1024, values["MemTotal"]);
        Assert.Equal(24194088L * 1024, MemInfo.Available(values));
    }

    [Fact]
    public void Without_MemAvailable_the_classic_estimate_is_used()
    {
        var values = MemInfo.Parse(File.ReadAllText(RepoPaths.Fixture("mem", "kernel-3.2-no-memavailable.meminfo")));

        Assert.Equal((120304L + 150012 + 880100) * 1024, MemInfo.Available(values));
        Assert.Equal(0, values["HugePages_Total"]);
    }

    [Fact]
    public void Reporter_gives_percent_used_and_totals()
    {
        using var root = new TempDir();
        var proc = Directory.CreateDirectory(Path.Combine(root.Path, "proc")).FullName;
        File.Copy(RepoPaths.Fixture("mem", "kernel-3.2-no-memavailable.meminfo"), Path.Combine(proc, "meminfo"));

        var frame = Assert.IsType<MemFrame>(new MemReporter(new HostPaths(proc, root.Path)).Read().Frame);

        const long total = 2058124L * 1024, available = (120304L + 150012 + 880100) * 1024;
        Assert.Equal(Math.Round(100.0 * (total - available) / total, 2), frame.Mem);
        Assert.Equal(44.1, frame.Mem);
        Assert.Equal(total, frame.MemTotal);
        Assert.Equal(total - available, frame.MemUsed);
        Assert.Equal((1048572L - 524286) * 1024, frame.SwapUsed);
    }

    [Fact]
    public void Meminfo_without_MemTotal_is_an_error()
    {
        using var root = new TempDir();
        File.WriteAllText(root.File("meminfo"), "MemFree: 10 kB\n");

        Assert.Throws<FormatException>(() => new MemReporter(new HostPaths(root.Path, root.Path)).Read());
    }

    [Fact]
    public void Meminfo_with_a_garbled_value_is_an_error() =>
        Assert.Throws<FormatException>(() => MemInfo.Parse("MemTotal: lots kB\n"));

    [Theory]
    [InlineData("480.07 780.64\n", 480.07)]
    [InlineData("12345678.90 1.00", 12345678.90)]
    public void Uptime_is_the_first_field(string text, double expected) => Assert.Equal(expected, UptimeReporter.Parse(text));

    [Theory]
    [InlineData("")]
    [InlineData("-3 4")]
    [InlineData("abc 4")]
    public void Broken_uptime_is_a_format_error(string text) => Assert.Throws<FormatException>(() => UptimeReporter.Parse(text));
}
