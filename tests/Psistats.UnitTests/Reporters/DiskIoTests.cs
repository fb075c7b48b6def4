using System.Text;
using Microsoft.Extensions.Configuration;
using Psistats.Agent.Configuration;
using Psistats.Agent.Reporters;
using Psistats.Agent.Reporters.DiskIo;
using Psistats.Contracts.Configuration;
using Psistats.Contracts.Frames;
using Psistats.TestSupport;

namespace Psistats.UnitTests.Reporters;

/// <summary>
/// diskio on the fixture cases under tests/fixtures/diskio/&lt;case&gt;/ (diskstats.N, uptime.N, sys/class/block).
/// Expected values are worked out by hand from the fixtures; itv is the uptime difference in hundredths of a second and
/// a rate is Δ/itv·100 (sysstat's S_VALUE). The same cases fed to the real iostat 12.6.1 give the same numbers
/// (tests/Psistats.IntegrationTests/IostatComparisonTests.cs).
/// </summary>
public sealed class DiskIoTests
{
    private static ProcSamples Case(string name) => new(RepoPaths.Fixture("diskio", name), ("diskstats", "diskstats"));

    private static DiskIoReporter Reporter(ProcSamples samples, DiskIoSettings? settings = null) => new(samples.Paths, settings ?? DiskIoSettings.Default);

    /// <summary>Reads samples 0..<paramref name="last"/> in turn and returns the frame of the last one.</summary>
    private static DiskIoFrame ReadThrough(ProcSamples samples, DiskIoReporter reporter, int last)
    {
        ReporterReading reading = null!;
        for (var i = 0; i <= last; i++)
        {
            samples.Show(i);
            reading = reporter.Read();
        }

        Assert.Equal(ReadingStatus.Ok, reading.Status);
        return Assert.IsType<DiskIoFrame>(reading.Frame);
    }

    private static List<(string Name, DiskCounters Counters)> Parse(string text)
    {
        var lines = new List<(string, DiskCounters)>();
        foreach (var line in new DiskStatsReader(Encoding.ASCII.GetBytes(text), "diskstats"))
        {
            lines.Add((Encoding.ASCII.GetString(line.Name), line.Counters));
        }

        return lines;
    }

    [Fact]
    public void Lines_of_14_18_and_20_fields_parse_and_old_partition_lines_are_skipped()
    {
        var old = Parse(File.ReadAllText(RepoPaths.Fixture("diskio", "old-kernel-14-fields", "diskstats.0")));
        var desktop = Parse(File.ReadAllText(RepoPaths.Fixture("diskio", "desktop-18-fields", "diskstats.0")));
        var recent = Parse(File.ReadAllText(RepoPaths.Fixture("diskio", "discard-flush-20-fields", "diskstats.0")));

        // 2.6.18: ram0-15, sda, dm-0, dm-1 with 11 fields; sda1 and sda2 have 4 (no extended statistics).
        Assert.Equal(19, old.Count);
        Assert.DoesNotContain(old, l => l.Name.StartsWith("sda1", StringComparison.Ordinal));
        var sda = old.Single(l => l.Name == "sda").Counters;
        Assert.Equal((11, false, false), (sda.FieldCount, sda.HasDiscard, sda.HasFlush));
        Assert.Equal((2183512UL, 56893014UL, 9987654UL, 110034567UL), (sda.ReadIos, sda.ReadSectors, sda.IoTicks, sda.TimeInQueue));

        var ssd = desktop.Single(l => l.Name == "sda").Counters;
        Assert.Equal((15, true, false), (ssd.FieldCount, ssd.HasDiscard, ssd.HasFlush));
        Assert.Equal((120UL, 1048576UL, 40UL), (ssd.DiscardIos, ssd.DiscardSectors, ssd.DiscardTicks));

        var nvme = recent.Single(l => l.Name == "nvme0n1").Counters;
        Assert.Equal((17, true, true), (nvme.FieldCount, nvme.HasDiscard, nvme.HasFlush));
        Assert.Equal((123456UL, 61728UL), (nvme.FlushIos, nvme.FlushTicks));
    }

    [Theory]
    [InlineData("   8       0 sda 1 2 3 4 5 6 7 8 9\n")]
    [InlineData("   8       0 sda 1 2 3 4 5 6 7 8 9 10 x\n")]
    [InlineData("   8       0\n")]
    public void A_malformed_line_is_a_format_error(string text) => Assert.Throws<FormatException>(() => Parse(text));

    [Fact]
    public void The_first_reading_only_takes_a_sample()
    {
        using var samples = Case("desktop-18-fields");
        samples.Show(0);

        var reading = Reporter(samples).Read();

        Assert.Equal(ReadingStatus.Warming, reading.Status);
        Assert.Null(reading.Frame);
    }

    [Fact]
    public void Desktop_whole_disks_with_the_discard_columns_of_kernel_4_18()
    {
        using var samples = Case("desktop-18-fields");

        var frame = ReadThrough(samples, Reporter(samples), 1);

        // loop0/loop1 ignored (loop*), partitions sda1, sda2, nvme0n1p1-3 left out (partitions = no).
        Assert.Equal(["sda", "nvme0n1"], frame.DiskIo.Keys);
        // itv = 722033 - 721533 = 500 (5 s). sda: Δreads 250, Δrmerges 50, Δrsect 16000, Δrticks 500, Δwrites 1000,
        // Δwmerges 3000, Δwsect 64000, Δwticks 4000, Δio_ticks 2500, Δtime_in_queue 4600, Δdiscards 5, Δdsect 10240, Δdticks 25.
        Assert.Equal(new DiskIoDevice
        {
            Tps = 251, // (250+1000+5)/500*100
            ReadsPerSecond = 50, // 250/500*100
            ReadKilobytesPerSecond = 1600, // 16000/500*100/2
            ReadMergesPerSecond = 10, // 50/500*100
            ReadMergesPercent = 16.67, // 50/(50+250)*100 = 16.666...
            ReadAwait = 2, // 500/250
            ReadRequestSize = 32, // 16000/250/2
            WritesPerSecond = 200, // 1000/500*100
            WriteKilobytesPerSecond = 6400, // 64000/500*100/2
            WriteMergesPerSecond = 600, // 3000/500*100
            WriteMergesPercent = 75, // 3000/(3000+1000)*100
            WriteAwait = 4, // 4000/1000
            WriteRequestSize = 32, // 64000/1000/2
            DiscardsPerSecond = 1, // 5/500*100
            DiscardKilobytesPerSecond = 1024, // 10240/500*100/2
            DiscardMergesPerSecond = 0,
            DiscardMergesPercent = 0,
            DiscardAwait = 5, // 25/5
            DiscardRequestSize = 1024, // 10240/5/2
            QueueSize = 0.92, // 4600/500*100/1000
            Util = 50, // 2500/500*100/10
        }, frame.DiskIo["sda"]);
        // nvme0n1: Δreads 12000, Δrsect 1536000, Δrticks 2400, Δwrites 3000, Δwmerges 1000, Δwsect 96000, Δwticks 900,
        // Δio_ticks 4000, Δtime_in_queue 3300, no discard.
        Assert.Equal(new DiskIoDevice
        {
            Tps = 3000, // (12000+3000)/500*100
            ReadsPerSecond = 2400,
            ReadKilobytesPerSecond = 153600, // 1536000/500*100/2
            ReadAwait = 0.2, // 2400/12000
            ReadRequestSize = 64, // 1536000/12000/2
            WritesPerSecond = 600,
            WriteKilobytesPerSecond = 9600, // 96000/500*100/2
            WriteMergesPerSecond = 200,
            WriteMergesPercent = 25, // 1000/(1000+3000)*100
            WriteAwait = 0.3, // 900/3000
            WriteRequestSize = 16, // 96000/3000/2
            DiscardsPerSecond = 0,
            DiscardKilobytesPerSecond = 0,
            DiscardMergesPerSecond = 0,
            DiscardMergesPercent = 0,
            DiscardAwait = 0,
            DiscardRequestSize = 0,
            QueueSize = 0.66, // 3300/500*100/1000
            Util = 80, // 4000/500*100/10
        }, frame.DiskIo["nvme0n1"]);
    }

    [Fact]
    public void Partitions_are_reported_when_asked()
    {
        using var samples = Case("desktop-18-fields");

        var frame = ReadThrough(samples, Reporter(samples, DiskIoSettings.Default with { Partitions = true }), 1);

        Assert.Equal(["sda", "sda1", "sda2", "nvme0n1", "nvme0n1p1", "nvme0n1p2", "nvme0n1p3"], frame.DiskIo.Keys);
        Assert.Equal(frame.DiskIo["sda"], frame.DiskIo["sda2"]); // all of sda's I/O went to sda2
        Assert.Equal(0, frame.DiskIo["sda1"].Tps);
    }

    [Fact]
    public void Ignore_patterns_replace_the_default_and_an_empty_list_ignores_nothing()
    {
        using var samples = Case("desktop-18-fields");
        var onlyNvme = ReadThrough(samples, Reporter(samples, DiskIoSettings.Default with { Ignore = new NamePatterns(["loop*", "sd?"]) }), 1);
        var everything = ReadThrough(samples, Reporter(samples, DiskIoSettings.Default with { Ignore = new NamePatterns([]) }), 1);

        Assert.Equal(["nvme0n1"], onlyNvme.DiskIo.Keys);
        Assert.Equal(["loop0", "loop1", "sda", "nvme0n1"], everything.DiskIo.Keys);
        // loop0: Δreads 3, Δrsect 24 over 5 s.
        Assert.Equal((0.6, 2.4), (everything.DiskIo["loop0"].ReadsPerSecond, everything.DiskIo["loop0"].ReadKilobytesPerSecond));
    }

    [Fact]
    public void Server_md_and_device_mapper_are_reported_loop_and_ram_skipped_and_hot_swapped_disks_handled()
    {
        using var samples = Case("server-many-disks");
        var reporter = Reporter(samples);

        var second = ReadThrough(samples, reporter, 1);

        // sdd was pulled before sample 1 (gone), sde inserted (no previous sample yet): neither is reported.
        Assert.Equal(["sda", "sdb", "sdc", "md0", "nvme0n1", "nvme1n1", "dm-0", "dm-1"], second.DiskIo.Keys);
        // itv = 259200100 - 259200000 = 100 (1 s). md0: Δreads 1000, Δrsect 80000, Δwrites 2500, Δwsect 160000; md
        // accounts no time, so await, %util and aqu-sz are 0.
        Assert.Equal(new DiskIoDevice
        {
            Tps = 3500,
            ReadsPerSecond = 1000,
            ReadKilobytesPerSecond = 40000, // 80000/100*100/2
            ReadRequestSize = 40, // 80000/1000/2
            WritesPerSecond = 2500,
            WriteKilobytesPerSecond = 80000,
            WriteRequestSize = 32, // 160000/2500/2
            DiscardsPerSecond = 0, DiscardKilobytesPerSecond = 0, DiscardMergesPerSecond = 0, DiscardMergesPercent = 0, DiscardAwait = 0, DiscardRequestSize = 0,
            FlushesPerSecond = 0, FlushAwait = 0,
        }, second.DiskIo["md0"]);
        // dm-0 (vg0-root): Δreads 800, Δrsect 64000, Δrticks 1600, Δwrites 2000, Δwsect 120000, Δwticks 7000,
        // Δio_ticks 650, Δtime_in_queue 8600.
        Assert.Equal(new DiskIoDevice
        {
            DmName = "vg0-root",
            Tps = 2800,
            ReadsPerSecond = 800,
            ReadKilobytesPerSecond = 32000,
            ReadAwait = 2, // 1600/800
            ReadRequestSize = 40, // 64000/800/2
            WritesPerSecond = 2000,
            WriteKilobytesPerSecond = 60000,
            WriteAwait = 3.5, // 7000/2000
            WriteRequestSize = 30, // 120000/2000/2
            DiscardsPerSecond = 0, DiscardKilobytesPerSecond = 0, DiscardMergesPerSecond = 0, DiscardMergesPercent = 0, DiscardAwait = 0, DiscardRequestSize = 0,
            FlushesPerSecond = 0, FlushAwait = 0,
            QueueSize = 8.6, // 8600/100*100/1000
            Util = 65, // 650/100*100/10
        }, second.DiskIo["dm-0"]);
        Assert.Equal("vg0-srv", second.DiskIo["dm-1"].DmName);
        Assert.Null(second.DiskIo["sda"].DmName);
        // sda: Δrmerges 20 of 500 reads, Δwmerges 400 of 1250 writes, Δflushes 50 taking 100 ms.
        Assert.Equal((3.85, 24.24, 50.0, 2.0), (second.DiskIo["sda"].ReadMergesPercent, second.DiskIo["sda"].WriteMergesPercent,
            second.DiskIo["sda"].FlushesPerSecond, second.DiskIo["sda"].FlushAwait)); // 20/520*100, 400/1650*100, 50/1 s, 100/50

        samples.Show(2);
        var third = Assert.IsType<DiskIoFrame>(reporter.Read().Frame);

        // sde from its second sample: Δreads 3000, Δrsect 768000, Δrticks 6000, Δio_ticks 980, Δtime_in_queue 6000.
        Assert.Equal(["sda", "sdb", "sdc", "sde", "md0", "nvme0n1", "nvme1n1", "dm-0", "dm-1"], third.DiskIo.Keys);
        var sde = third.DiskIo["sde"];
        Assert.Equal((3000.0, 384000.0, 2.0, 128.0, 6.0, 98.0),
            (sde.ReadsPerSecond, sde.ReadKilobytesPerSecond, sde.ReadAwait, sde.ReadRequestSize, sde.QueueSize, sde.Util));
    }

    [Fact]
    public void An_old_kernel_with_14_fields_has_no_discard_or_flush_columns()
    {
        using var samples = Case("old-kernel-14-fields");

        var frame = ReadThrough(samples, Reporter(samples, DiskIoSettings.Default with { Partitions = true }), 1);

        // ram0-15 ignored; sda1/sda2 print 4 fields on 2.6.18 and are skipped even with partitions = yes.
        Assert.Equal(["sda", "dm-0", "dm-1"], frame.DiskIo.Keys);
        // itv = 200 (2 s). sda: Δreads 400, Δrmerges 100, Δrsect 40000, Δrticks 2000, Δwrites 600, Δwmerges 2400,
        // Δwsect 24000, Δwticks 9000, Δio_ticks 900, Δtime_in_queue 11000.
        Assert.Equal(new DiskIoDevice
        {
            Tps = 500, // (400+600)/200*100
            ReadsPerSecond = 200,
            ReadKilobytesPerSecond = 10000, // 40000/200*100/2
            ReadMergesPerSecond = 50,
            ReadMergesPercent = 20, // 100/(100+400)*100
            ReadAwait = 5, // 2000/400
            ReadRequestSize = 50, // 40000/400/2
            WritesPerSecond = 300,
            WriteKilobytesPerSecond = 6000, // 24000/200*100/2
            WriteMergesPerSecond = 1200,
            WriteMergesPercent = 80, // 2400/(2400+600)*100
            WriteAwait = 15, // 9000/600
            WriteRequestSize = 20, // 24000/600/2
            QueueSize = 5.5, // 11000/200*100/1000
            Util = 45, // 900/200*100/10
        }, frame.DiskIo["sda"]);
        // dm-0: Δreads 500, Δrsect 40000, Δrticks 2500, Δwrites 3000, Δwsect 24000, Δwticks 12000, Δtime_in_queue 14500.
        var dm0 = frame.DiskIo["dm-0"];
        Assert.Equal(("VolGroup00-LogVol00", 250.0, 1500.0, 5.0, 4.0, 4.0, 7.25, 45.0),
            (dm0.DmName, dm0.ReadsPerSecond, dm0.WritesPerSecond, dm0.ReadAwait, dm0.WriteAwait, dm0.WriteRequestSize, dm0.QueueSize, dm0.Util));
    }

    [Fact]
    public void A_kernel_with_20_fields_gives_discard_and_flush_columns_and_util_is_capped_at_100()
    {
        using var samples = Case("discard-flush-20-fields");

        var frame = ReadThrough(samples, Reporter(samples), 1);

        Assert.Equal(["nvme0n1", "nvme1n1"], frame.DiskIo.Keys);
        // itv = 8640350 - 8640050 = 300 (3 s). nvme0n1: Δreads 100, Δrsect 1998, Δrticks 666, Δwrites 900, Δwmerges 300,
        // Δwsect 72000, Δwticks 450, Δio_ticks 1200, Δtime_in_queue 1500, Δdiscards 30, Δdmerges 10, Δdsect 614400,
        // Δdticks 90, Δflushes 120, Δfticks 60.
        Assert.Equal(new DiskIoDevice
        {
            Tps = 343.33, // (100+900+30)/300*100
            ReadsPerSecond = 33.33, // 100/300*100
            ReadKilobytesPerSecond = 333, // 1998/300*100/2
            ReadAwait = 6.66, // 666/100
            ReadRequestSize = 9.99, // 1998/100/2
            WritesPerSecond = 300,
            WriteKilobytesPerSecond = 12000, // 72000/300*100/2
            WriteMergesPerSecond = 100,
            WriteMergesPercent = 25, // 300/(300+900)*100
            WriteAwait = 0.5, // 450/900
            WriteRequestSize = 40, // 72000/900/2
            DiscardsPerSecond = 10, // 30/300*100
            DiscardKilobytesPerSecond = 102400, // 614400/300*100/2
            DiscardMergesPerSecond = 3.33, // 10/300*100
            DiscardMergesPercent = 25, // 10/(10+30)*100
            DiscardAwait = 3, // 90/30
            DiscardRequestSize = 10240, // 614400/30/2
            FlushesPerSecond = 40, // 120/300*100
            FlushAwait = 0.5, // 60/120
            QueueSize = 0.5, // 1500/300*100/1000
            Util = 40, // 1200/300*100/10
        }, frame.DiskIo["nvme0n1"]);
        // nvme1n1: Δio_ticks 3012 ms in 3 s would be 100.4 % (iostat prints that); reported as 100.
        Assert.Equal(100, frame.DiskIo["nvme1n1"].Util);
        Assert.Equal(1.2, frame.DiskIo["nvme1n1"].QueueSize); // 3600/300*100/1000
    }

    [Fact]
    public void Counters_of_a_32_bit_kernel_that_wrap_and_a_reinserted_disk_give_sane_rates()
    {
        using var samples = Case("wrapped-32bit");

        var frame = ReadThrough(samples, Reporter(samples), 1);

        // itv = 432300 - 432100 = 200 (2 s).
        // mmcblk0: rsect 4294960000 -> 12704 wrapped at 2^32: Δ = 12704 + 4294967296 - 4294960000 = 20000.
        // The millisecond fields wrap as unsigned int: wticks 4294967000 -> 1204 (Δ 1500), io_ticks 4294967000 -> 704
        // (Δ 1000), time_in_queue 4294967290 -> 1994 (Δ 2000).
        var mmc = frame.DiskIo["mmcblk0"];
        Assert.Equal((200.0, 5000.0, 25.0), (mmc.ReadsPerSecond, mmc.ReadKilobytesPerSecond, mmc.ReadRequestSize)); // 400 reads; 20000/200*100/2; 20000/400/2
        Assert.Equal((250.0, 3.0), (mmc.WritesPerSecond, mmc.WriteAwait)); // 500 writes; 1500/500
        Assert.Equal((50.0, 1.0), (mmc.Util, mmc.QueueSize)); // 1000/200*100/10; 2000/200*100/1000
        // sda: reads completed 4294967200 -> 104 (an unsigned long of a 32-bit kernel): Δ = 104 + 4294967296 - 4294967200 = 200.
        var sda = frame.DiskIo["sda"];
        Assert.Equal((100.0, 400.0, 2.0, 4.0), (sda.ReadsPerSecond, sda.ReadKilobytesPerSecond, sda.ReadAwait, sda.ReadRequestSize)); // 200/2 s; 1600 sectors; 400/200; 1600/200/2
        // sdb was unplugged and plugged in again: every count fell, so (as iostat) it counts from zero:
        // 40 reads of 2560 sectors in 60 ms, 10 writes of 160 sectors in 30 ms, 2 flushes in 4 ms, io_ticks 80, time_in_queue 90.
        Assert.Equal(new DiskIoDevice
        {
            Tps = 25, // (40+10)/200*100
            ReadsPerSecond = 20,
            ReadKilobytesPerSecond = 640, // 2560/200*100/2
            ReadAwait = 1.5, // 60/40
            ReadRequestSize = 32, // 2560/40/2
            WritesPerSecond = 5,
            WriteKilobytesPerSecond = 40, // 160/200*100/2
            WriteAwait = 3, // 30/10
            WriteRequestSize = 8, // 160/10/2
            DiscardsPerSecond = 0, DiscardKilobytesPerSecond = 0, DiscardMergesPerSecond = 0, DiscardMergesPercent = 0, DiscardAwait = 0, DiscardRequestSize = 0,
            FlushesPerSecond = 1, // 2/200*100
            FlushAwait = 2, // 4/2
            QueueSize = 0.04, // 90/200*100/1000 = 0.045, printed 0.04 by iostat
            Util = 4, // 80/200*100/10
        }, frame.DiskIo["sdb"]);
    }

    [Fact]
    public void Unchanged_files_give_zero_rates_not_a_division_by_zero()
    {
        using var samples = Case("desktop-18-fields");
        var reporter = Reporter(samples);
        samples.Show(0);
        reporter.Read();

        var frame = Assert.IsType<DiskIoFrame>(reporter.Read().Frame);

        Assert.All(frame.DiskIo.Values, d => Assert.Equal((0.0, 0.0, 0.0), (d.Tps, d.Util, d.ReadAwait)));
    }

    [Fact]
    public void A_host_without_diskstats_is_no_data_and_without_devices_left_too()
    {
        using var root = new TempDir();
        var missing = new DiskIoReporter(new HostPaths(root.Path, root.Path), DiskIoSettings.Default).Read();
        using var samples = Case("desktop-18-fields");
        var allIgnored = Reporter(samples, DiskIoSettings.Default with { Ignore = new NamePatterns(["*"]) });
        samples.Show(0);
        allIgnored.Read();
        samples.Show(1);
        var nothingLeft = allIgnored.Read();

        Assert.Equal(ReadingStatus.NoData, missing.Status);
        Assert.Empty(Assert.IsType<DiskIoFrame>(missing.Frame).DiskIo);
        Assert.Equal(ReadingStatus.NoData, nothingLeft.Status);
        Assert.Contains("ignore = *", nothingLeft.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Settings_are_read_from_the_diskio_section()
    {
        var reader = new SettingsReader(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["diskio:partitions"] = "yes",
            ["diskio:ignore"] = "loop*, sr0",
        }).Build());

        var settings = Assert.IsType<DiskIoSettings>(new DiskIoDefinition().ReadSettings(reader));

        Assert.Empty(reader.Errors);
        Assert.True(settings.Partitions);
        Assert.Equal(["loop*", "sr0"], settings.Ignore.Patterns);
        Assert.Equal(["loop*", "ram*", "zram*"], DiskIoSettings.Default.Ignore.Patterns);
    }

    [Fact]
    public void A_bad_partitions_value_names_its_key()
    {
        var reader = new SettingsReader(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["diskio:partitions"] = "some",
        }).Build());

        new DiskIoDefinition().ReadSettings(reader);

        Assert.Equal(("diskio", "partitions"), (Assert.Single(reader.Errors).Section, reader.Errors[0].Key));
    }

    [Theory]
    [InlineData(100UL, 250UL, 150UL)]
    [InlineData(4294967000UL, 704UL, 1000UL)]
    [InlineData(5000000000UL, 1000UL, 1000UL)]
    public void Unsigned_long_counters_wrap_at_2_to_the_32_and_64_bit_ones_restart(ulong previous, ulong current, ulong delta) =>
        Assert.Equal(delta, CounterDelta.UnsignedLong(previous, current));

    [Fact]
    public void Millisecond_fields_are_differenced_modulo_2_to_the_32() =>
        Assert.Equal(1500u, CounterDelta.UnsignedInt(4294967000, 1204));

    [Theory]
    [InlineData("1489.71 2209.03\n", 148971UL)]
    [InlineData("60.5 100.20\n", 6050UL)]
    [InlineData("7 9\n", 700UL)]
    public void Uptime_is_read_in_hundredths_of_a_second(string text, ulong hundredths)
    {
        using var root = new TempDir();
        File.WriteAllText(root.File("uptime"), text);

        Assert.Equal(hundredths, ProcUptime.ReadCentiseconds(new KernelFile(), root.File("uptime")));
    }
}
