using Microsoft.Extensions.Configuration;
using Psistats.Agent.Configuration;
using Psistats.Agent.Reporters;
using Psistats.Agent.Reporters.Net;
using Psistats.Contracts.Configuration;
using Psistats.Contracts.Frames;
using Psistats.TestSupport;

namespace Psistats.UnitTests.Reporters;

/// <summary>
/// net on the fixture cases under tests/fixtures/net/&lt;case&gt;/ (dev.N = /proc/net/dev, uptime.N). itv is the uptime
/// difference in hundredths of a second; a rate is Δ/itv·100.
/// </summary>
public sealed class NetTests
{
    private static ProcSamples Case(string name) => new(RepoPaths.Fixture("net", name), ("dev", "net/dev"));

    private static NetReporter Reporter(ProcSamples samples, NetSettings? settings = null) => new(samples.Paths, settings ?? NetSettings.Default);

    private static NetFrame ReadThrough(ProcSamples samples, NetReporter reporter, int last)
    {
        ReporterReading reading = null!;
        for (var i = 0; i <= last; i++)
        {
            samples.Show(i);
            reading = reporter.Read();
        }

        Assert.Equal(ReadingStatus.Ok, reading.Status);
        return Assert.IsType<NetFrame>(reading.Frame);
    }

    [Fact]
    public void The_first_reading_only_takes_a_sample()
    {
        using var samples = Case("desktop");
        samples.Show(0);

        var reading = Reporter(samples).Read();

        Assert.Equal(ReadingStatus.Warming, reading.Status);
        Assert.Null(reading.Frame);
    }

    [Fact]
    public void Rates_per_interface_with_loopback_left_out()
    {
        using var samples = Case("desktop");

        var frame = ReadThrough(samples, Reporter(samples), 1);

        Assert.Equal(["enp3s0", "wlp2s0", "docker0", "veth3f2a1b0"], frame.Net.Keys);
        // itv = 722033 - 721533 = 500 (5 s). enp3s0: Δrx_bytes 6250000, Δrx_packets 5000, Δrx_drop 25,
        // Δtx_bytes 1250000, Δtx_packets 2500, Δtx_errs 5.
        Assert.Equal(new NetInterface
        {
            RxBytesPerSecond = 1250000, // 6250000/500*100
            TxBytesPerSecond = 250000, // 1250000/500*100
            RxPacketsPerSecond = 1000,
            TxPacketsPerSecond = 500,
            RxErrorsPerSecond = 0,
            TxErrorsPerSecond = 1, // 5/500*100
            RxDroppedPerSecond = 5, // 25/500*100
            TxDroppedPerSecond = 0,
        }, frame.Net["enp3s0"]);
        // docker0: Δrx_bytes 5120, Δrx_packets 50, Δtx_bytes 2560, Δtx_packets 20.
        Assert.Equal((1024.0, 10.0, 512.0, 4.0), (frame.Net["docker0"].RxBytesPerSecond, frame.Net["docker0"].RxPacketsPerSecond,
            frame.Net["docker0"].TxBytesPerSecond, frame.Net["docker0"].TxPacketsPerSecond));
        Assert.Equal(new NetInterface(), frame.Net["wlp2s0"]);
    }

    [Fact]
    public void Ignore_patterns_are_globs_and_an_empty_list_keeps_loopback()
    {
        using var samples = Case("desktop");
        var physical = ReadThrough(samples, Reporter(samples, new NetSettings(new NamePatterns(["lo", "docker*", "veth*"]))), 1);
        var all = ReadThrough(samples, Reporter(samples, new NetSettings(new NamePatterns([]))), 1);

        Assert.Equal(["enp3s0", "wlp2s0"], physical.Net.Keys);
        Assert.Equal(["lo", "enp3s0", "wlp2s0", "docker0", "veth3f2a1b0"], all.Net.Keys);
        Assert.Equal(2400, all.Net["lo"].RxBytesPerSecond); // 12000/500*100
    }

    [Fact]
    public void An_old_kernel_without_a_space_after_the_colon_and_32_bit_counters_that_wrap()
    {
        using var samples = Case("old-kernel-32bit-wrap");

        var frame = ReadThrough(samples, Reporter(samples), 1);

        // "  eth0:4294000000 ..." then rx_bytes 1032704: wrapped at 2^32, Δ = 1032704 + 4294967296 - 4294000000 = 2000000.
        // itv = 200 (2 s); Δrx_packets 1500, Δrx_drop 2, Δtx_bytes 400000, Δtx_packets 800.
        Assert.Equal(new NetInterface
        {
            RxBytesPerSecond = 1000000, // 2000000/200*100
            TxBytesPerSecond = 200000,
            RxPacketsPerSecond = 750,
            TxPacketsPerSecond = 400,
            RxDroppedPerSecond = 1,
        }, Assert.Single(frame.Net).Value);
    }

    [Fact]
    public void Interfaces_that_appear_disappear_or_are_recreated()
    {
        using var samples = Case("interfaces-come-and-go");
        var reporter = Reporter(samples);

        var second = ReadThrough(samples, reporter, 1);

        // usb0 unplugged (gone), wlan0 new (no previous sample): neither reported. ppp0 reconnected and its counters
        // restarted (packets both ways and bytes both ways fell): counted from zero over itv = 100 (1 s).
        Assert.Equal(["eth0", "ppp0"], second.Net.Keys);
        Assert.Equal((4000.0, 20.0, 1000.0, 10.0), (second.Net["ppp0"].RxBytesPerSecond, second.Net["ppp0"].RxPacketsPerSecond,
            second.Net["ppp0"].TxBytesPerSecond, second.Net["ppp0"].TxPacketsPerSecond));
        // eth0 has 64-bit counters above 2^32: Δrx_bytes 1000, Δtx_bytes 2000.
        Assert.Equal((1000.0, 2000.0), (second.Net["eth0"].RxBytesPerSecond, second.Net["eth0"].TxBytesPerSecond));

        samples.Show(2);
        var third = Assert.IsType<NetFrame>(reporter.Read().Frame);

        // wlan0 from its second sample: Δrx_bytes 51200, Δrx_packets 40, Δrx_errs 1, Δrx_drop 2, Δtx_bytes 25600, Δtx_packets 20, Δtx_drop 1.
        Assert.Equal(["eth0", "ppp0", "wlan0"], third.Net.Keys);
        Assert.Equal(new NetInterface
        {
            RxBytesPerSecond = 51200,
            TxBytesPerSecond = 25600,
            RxPacketsPerSecond = 40,
            TxPacketsPerSecond = 20,
            RxErrorsPerSecond = 1,
            RxDroppedPerSecond = 2,
            TxDroppedPerSecond = 1,
        }, third.Net["wlan0"]);
    }

    [Fact]
    public void A_host_without_net_dev_is_no_data()
    {
        using var root = new TempDir();

        var reading = new NetReporter(new HostPaths(root.Path, root.Path), NetSettings.Default).Read();

        Assert.Equal(ReadingStatus.NoData, reading.Status);
        Assert.Empty(Assert.IsType<NetFrame>(reading.Frame).Net);
    }

    [Fact]
    public void Only_loopback_is_no_data()
    {
        using var root = new TempDir();
        Directory.CreateDirectory(Path.Combine(root.Path, "net"));
        File.WriteAllText(Path.Combine(root.Path, "uptime"), "10.00 20.00\n");
        File.WriteAllLines(Path.Combine(root.Path, "net", "dev"), File.ReadAllLines(RepoPaths.Fixture("net", "desktop", "dev.0"))[..3]);
        var reporter = new NetReporter(new HostPaths(root.Path, root.Path), NetSettings.Default);
        reporter.Read();

        var reading = reporter.Read();

        Assert.Equal(ReadingStatus.NoData, reading.Status);
        Assert.Contains("ignore = lo", reading.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("  eth0: 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15\n")]
    [InlineData("  eth0: 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 x\n")]
    [InlineData("      : 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16\n")]
    public void A_malformed_line_is_a_format_error(string line)
    {
        using var root = new TempDir();
        Directory.CreateDirectory(Path.Combine(root.Path, "net"));
        File.WriteAllText(Path.Combine(root.Path, "uptime"), "10.00 20.00\n");
        File.WriteAllText(Path.Combine(root.Path, "net", "dev"), "Inter-|   Receive\n face |bytes\n" + line);

        Assert.Throws<FormatException>(() => new NetReporter(new HostPaths(root.Path, root.Path), NetSettings.Default).Read());
    }

    [Fact]
    public void Ignore_is_read_from_the_net_section_and_defaults_to_loopback()
    {
        var set = new SettingsReader(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["net:ignore"] = "lo docker* veth*" }).Build());
        var empty = new SettingsReader(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["net:ignore"] = "" }).Build());
        var absent = new SettingsReader(new ConfigurationBuilder().Build());

        Assert.Equal(["lo", "docker*", "veth*"], Assert.IsType<NetSettings>(new NetDefinition().ReadSettings(set)).Ignore.Patterns);
        Assert.Empty(Assert.IsType<NetSettings>(new NetDefinition().ReadSettings(empty)).Ignore.Patterns);
        Assert.Equal(["lo"], Assert.IsType<NetSettings>(new NetDefinition().ReadSettings(absent)).Ignore.Patterns);
    }
}
