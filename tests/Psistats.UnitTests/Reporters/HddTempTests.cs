using System.Runtime.Versioning;
using Microsoft.Extensions.Configuration;
using Psistats.Agent.Configuration;
using Psistats.Agent.Reporters;
using Psistats.Agent.Reporters.HddTemp;
using Psistats.Contracts.Configuration;
using Psistats.Contracts.Frames;
using Psistats.TestSupport;

namespace Psistats.UnitTests.Reporters;

[SupportedOSPlatform("linux")]
public sealed class HddTempTests
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(30);

    private static HostPaths Host(string host, string? rootFs = null) =>
        new(RepoPaths.Fixture("hosts", host, "proc"), RepoPaths.Fixture("hosts", host, "sys"), rootFs ?? RepoPaths.Fixture("hosts", host, "rootfs"));

    private static ReporterReading Read(HostPaths paths, ISmartctl? smartctl = null, TimeProvider? time = null) =>
        new HddTempReporter(paths, smartctl, Interval, time ?? new FakeTimeProvider()).Read();

    private static IReadOnlyDictionary<string, DiskTemperature> ReadOk(HostPaths paths, ISmartctl? smartctl = null)
    {
        var reading = Read(paths, smartctl);
        Assert.Equal(ReadingStatus.Ok, reading.Status);
        return Assert.IsType<HddTempFrame>(reading.Frame).HddTemp;
    }

    /// <summary>A smartctl that answers from captured outputs (tests/fixtures/smartctl/) and records what it was asked.</summary>
    private sealed class CapturedSmartctl(IReadOnlyDictionary<string, string> captureByDisk) : ISmartctl
    {
        public List<string> Asked { get; } = [];

        public SmartctlReading Read(string deviceNode)
        {
            Asked.Add(deviceNode);
            return SmartctlReading.Parse(File.ReadAllText(RepoPaths.Fixture("smartctl", captureByDisk[Path.GetFileName(deviceNode)] + ".json")));
        }
    }

    /// <summary>A root filesystem whose /dev holds the given device nodes (plain files: only their existence matters).</summary>
    private static TempDir RootWithDevices(params string[] names)
    {
        var root = new TempDir();
        Directory.CreateDirectory(Path.Combine(root.Path, "dev"));
        foreach (var name in names)
        {
            File.WriteAllText(Path.Combine(root.Path, "dev", name), "");
        }

        return root;
    }

    [Theory]
    [InlineData("intel-coretemp", "nvme0n1=38.85 nvme", "sda=33 drivetemp")]
    [InlineData("amd-k10temp", "nvme0n1=40.85 nvme", "sda=35 drivetemp", "sdb=38 drivetemp")]
    [InlineData("server-many-disks", "nvme0n1=36.85 nvme", "nvme1n1=33.85 nvme", "sda=29 drivetemp", "sdb=30 drivetemp")]
    public void Drivetemp_and_nvme_chips_give_each_disk_its_temperature(string host, params string[] expected)
    {
        var disks = ReadOk(Host(host));

        Assert.Equal(expected, disks.Select(d => $"{d.Key}={d.Value.Temp} {d.Value.Source}"));
    }

    [Fact]
    public void Disk_identity_and_limits_come_with_the_temperature()
    {
        var disks = ReadOk(Host("intel-coretemp"));

        var sda = disks["sda"];
        Assert.Equal(("Samsung SSD 860", "ATA", (string?)null), (sda.Model, sda.Vendor, sda.Serial));
        Assert.Equal((0.0, 70.0, -40.0, 70.0, 21.0, 52.0), (sda.Min!.Value, sda.Max!.Value, sda.Lcrit!.Value, sda.Crit!.Value, sda.Lowest!.Value, sda.Highest!.Value));
        Assert.Null(sda.Sensors);
        var nvme = disks["nvme0n1"];
        Assert.Equal(("Samsung SSD 970 EVO Plus 1TB", "S4EWNX0R612345K"), (nvme.Model, nvme.Serial));
        Assert.Equal([("Sensor 1", 38.85), ("Sensor 2", 44.85)], nvme.Sensors!.Select(s => (s.Label, s.Temp)));
    }

    [Fact]
    public void Nvme_thresholds_that_are_not_set_are_left_out()
    {
        var nvme = ReadOk(Host("intel-coretemp"))["nvme0n1"];

        Assert.Equal(((double?)null, 81.85, 84.85), (nvme.Min, nvme.Max!.Value, nvme.Crit!.Value));
        Assert.Equal(-5.15, ReadOk(Host("amd-k10temp"))["nvme0n1"].Min);
    }

    [Fact]
    public void A_multipath_nvme_namespace_is_matched_to_its_controller_through_the_subsystem()
    {
        var disks = ReadOk(Host("server-many-disks"));

        Assert.Equal(("INTEL SSDPE2KE016T8", "PHLN012300AB1P6AGN", 69.85), (disks["nvme1n1"].Model, disks["nvme1n1"].Serial, disks["nvme1n1"].Max!.Value));
        Assert.DoesNotContain("nvme1c1n1", disks.Keys);
    }

    [Theory]
    [InlineData("raspberry-pi", "mmcblk0")]
    [InlineData("no-sensors", "vda")]
    [InlineData("old-kernel-device-dir", "sda")]
    [InlineData("thermal-only", "nvme0n1")]
    public void A_host_whose_disks_have_no_temperature_is_no_data_with_an_empty_frame(string host, string disks)
    {
        var reading = Read(Host(host));

        Assert.Equal(ReadingStatus.NoData, reading.Status);
        Assert.Empty(Assert.IsType<HddTempFrame>(reading.Frame).HddTemp);
        Assert.StartsWith($"no temperature for {disks}: no drivetemp or nvme hwmon chip covers them", reading.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void A_host_without_disks_is_no_data()
    {
        using var root = new TempDir();

        var reading = Read(new HostPaths(root.Path, root.Path, root.Path));

        Assert.Equal(ReadingStatus.NoData, reading.Status);
        Assert.StartsWith("no whole disk under", reading.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Only_whole_real_disks_without_a_chip_are_offered_to_smartctl()
    {
        using var root = RootWithDevices("sda", "sdb", "sdc", "sdd", "sda1", "nvme0n1", "nvme1n1", "nvme1c1n1", "md0", "dm-0");
        var smartctl = new CapturedSmartctl(new Dictionary<string, string> { ["sdc"] = "sas-hdd", ["sdd"] = "sata-hdd-standby" });

        var disks = ReadOk(Host("server-many-disks", root.Path), smartctl);

        Assert.Equal([Path.Combine(root.Path, "dev", "sdc"), Path.Combine(root.Path, "dev", "sdd")], smartctl.Asked);
        var sdc = disks["sdc"];
        Assert.Equal((33.0, "smartctl", "ST4000NM0025", "SEAGATE", "ZC1B2XYZ0000R734ABCD"), (sdc.Temp, sdc.Source, sdc.Model, sdc.Vendor, sdc.Serial));
        Assert.Null(sdc.Max);
        Assert.DoesNotContain("sdd", disks.Keys);
        Assert.Equal(["nvme0n1", "nvme1n1", "sda", "sdb", "sdc"], disks.Keys);
    }

    [Fact]
    public void Disks_without_a_device_node_under_rootfs_are_never_probed()
    {
        var smartctl = new CapturedSmartctl(new Dictionary<string, string>());

        ReadOk(Host("server-many-disks"), smartctl);

        Assert.Empty(smartctl.Asked);
    }

    [Fact]
    public void A_disk_whose_chip_cannot_be_read_falls_back_to_smartctl()
    {
        using var copy = new TempDir();
        FixtureTree.Copy(Host("intel-coretemp").Sys, copy.Path);
        FixtureTree.MakeUnreadable(Path.Combine(copy.Path, "devices", "pci0000:00", "0000:00:17.0", "ata1", "host0", "target0:0:0", "0:0:0:0", "hwmon", "hwmon3", "temp1_input"));
        using var root = RootWithDevices("sda", "nvme0n1");
        var smartctl = new CapturedSmartctl(new Dictionary<string, string> { ["sda"] = "sata-ssd" });

        var disks = ReadOk(new HostPaths(copy.Path, copy.Path, root.Path), smartctl);

        Assert.Equal((31.0, "smartctl", "Samsung SSD 860", "S626NF0R312345X"), (disks["sda"].Temp, disks["sda"].Source, disks["sda"].Model, disks["sda"].Serial));
        Assert.Equal("nvme", disks["nvme0n1"].Source);
        Assert.Equal([Path.Combine(root.Path, "dev", "sda")], smartctl.Asked);
    }

    [Fact]
    public void Smartctl_runs_at_most_once_per_disk_per_interval()
    {
        using var root = RootWithDevices("sdc", "sdd");
        var smartctl = new CapturedSmartctl(new Dictionary<string, string> { ["sdc"] = "sas-hdd", ["sdd"] = "sata-hdd" });
        var time = new FakeTimeProvider();
        var reporter = new HddTempReporter(Host("server-many-disks", root.Path), smartctl, Interval, time);

        var first = Assert.IsType<HddTempFrame>(reporter.Read().Frame);
        time.Advance(TimeSpan.FromSeconds(5));
        var early = Assert.IsType<HddTempFrame>(reporter.Read().Frame);
        Assert.Equal(2, smartctl.Asked.Count);
        Assert.Equal(first.HddTemp.Keys, early.HddTemp.Keys);
        Assert.Equal(36.0, early.HddTemp["sdd"].Temp);

        time.Advance(Interval);
        reporter.Read();
        Assert.Equal(4, smartctl.Asked.Count);
    }

    [Fact]
    public void Why_smartctl_gave_nothing_is_in_the_no_data_detail()
    {
        using var copy = new TempDir();
        FixtureTree.Copy(Host("intel-coretemp").Sys, copy.Path);
        foreach (var hwmon in new[] { "hwmon1", "hwmon3" })
        {
            File.Delete(Path.Combine(copy.Path, "class", "hwmon", hwmon));
        }

        using var root = RootWithDevices("sda", "nvme0n1");
        var smartctl = new CapturedSmartctl(new Dictionary<string, string> { ["sda"] = "open-denied", ["nvme0n1"] = "sata-hdd-standby" });

        var reading = Read(new HostPaths(copy.Path, copy.Path, root.Path), smartctl);

        Assert.Equal(ReadingStatus.NoData, reading.Status);
        Assert.Contains("nvme0n1: Device is in STANDBY mode, exit(2)", reading.Detail, StringComparison.Ordinal);
        Assert.Contains("sda: Smartctl open device: /dev/sda failed: Permission denied", reading.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_smartctl_the_no_data_detail_says_so()
    {
        using var copy = new TempDir();
        FixtureTree.Copy(Host("intel-coretemp").Sys, copy.Path);
        Directory.Delete(Path.Combine(copy.Path, "class", "hwmon"), recursive: true);

        var reading = Read(new HostPaths(copy.Path, copy.Path));

        Assert.Equal(ReadingStatus.NoData, reading.Status);
        Assert.Equal("no temperature for nvme0n1, sda: no drivetemp or nvme hwmon chip covers them, and smartctl is not installed or [hddtemp] smartctl = no", reading.Detail);
    }

    [Theory]
    [InlineData("sata-ssd", 31.0, "Samsung SSD 870 EVO 1TB", "S626NF0R312345X")]
    [InlineData("sata-hdd", 36.0, "WDC WD40EFRX-68N32N0", "WD-WCC7K1234567")]
    [InlineData("nvme", 41.0, "Samsung SSD 980 PRO 1TB", "S5GXNX0T123456A")]
    [InlineData("sas-hdd", 33.0, "SEAGATE ST4000NM0025", "ZC1B2XYZ0000R734ABCD")]
    public void Smartctl_json_gives_temperature_model_and_serial(string capture, double temp, string model, string serial)
    {
        var reading = SmartctlReading.Parse(File.ReadAllText(RepoPaths.Fixture("smartctl", capture + ".json")));

        Assert.Equal((temp, model, serial, (string?)null), (reading.Temp!.Value, reading.Model, reading.Serial, reading.Problem));
    }

    [Theory]
    [InlineData("sata-hdd-standby", "Device is in STANDBY mode, exit(2)")]
    [InlineData("open-denied", "Smartctl open device: /dev/sda failed: Permission denied")]
    [InlineData("virtio-unknown-type", "/dev/vda: Unable to detect device type")]
    public void Smartctl_json_without_a_temperature_says_why(string capture, string problem)
    {
        var reading = SmartctlReading.Parse(File.ReadAllText(RepoPaths.Fixture("smartctl", capture + ".json")));

        Assert.Null(reading.Temp);
        Assert.Equal(problem, reading.Problem);
    }

    [Theory]
    [InlineData("", "smartctl output is not JSON")]
    [InlineData("smartctl 7.3 2022-02-28 r5338", "smartctl output is not JSON")]
    [InlineData("[1]", "smartctl output is not a JSON object")]
    [InlineData("{\"smartctl\":{\"exit_status\":4},\"temperature\":{}}", "no temperature.current (exit status 4)")]
    public void Output_that_is_not_smartctl_json_is_a_problem_not_an_exception(string output, string problem) =>
        Assert.Equal(problem, SmartctlReading.Parse(output).Problem);

    private static string Script(TempDir dir, string body)
    {
        var path = dir.File("smartctl");
        File.WriteAllText(path, "#!/bin/sh\n" + body + "\n");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return path;
    }

    [Fact]
    public void The_smartctl_process_gets_the_documented_arguments_and_its_json_is_parsed()
    {
        using var dir = new TempDir();
        var script = Script(dir, $"printf '%s\\n' \"$@\" > '{dir.File("args")}'\ncat '{RepoPaths.Fixture("smartctl", "nvme.json")}'");

        var reading = new SmartctlProcess(script, TimeSpan.FromSeconds(30)).Read("/dev/nvme0n1");

        Assert.Equal(41.0, reading.Temp);
        Assert.Equal(["--json", "-i", "-A", "-n", "standby", "/dev/nvme0n1"], File.ReadAllLines(dir.File("args")));
    }

    [Fact]
    public void A_smartctl_that_hangs_is_killed_after_the_timeout()
    {
        using var dir = new TempDir();
        var script = Script(dir, $"echo $$ > '{dir.File("pid")}'\nexec sleep 600");

        var reading = new SmartctlProcess(script, TimeSpan.FromSeconds(1)).Read("/dev/sda");

        Assert.Null(reading.Temp);
        Assert.Contains("did not finish within 1 s and was killed", reading.Problem, StringComparison.Ordinal);
        Assert.False(Directory.Exists($"/proc/{File.ReadAllText(dir.File("pid")).Trim()}"), "the hung smartctl is gone");
    }

    [Fact]
    public void A_smartctl_that_cannot_start_is_a_problem()
    {
        using var dir = new TempDir();
        File.WriteAllText(dir.File("smartctl"), "not executable");

        var reading = new SmartctlProcess(dir.File("smartctl"), TimeSpan.FromSeconds(5)).Read("/dev/sda");

        Assert.StartsWith($"cannot run {dir.File("smartctl")}", reading.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Smartctl_is_found_on_path_first()
    {
        using var dir = new TempDir();
        var script = Script(dir, "exit 0");

        Assert.Equal(script, SmartctlProcess.Locate($"relative/bin:{dir.Path}:/usr/bin"));
    }

    private static (HddTempSettings? Settings, IReadOnlyList<ConfigError> Errors) ReadSettings(params (string Key, string Value)[] values)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>($"hddtemp:{v.Key}", v.Value)))
            .Build();
        var reader = new SettingsReader(configuration);
        return (new HddTempDefinition().ReadSettings(reader) as HddTempSettings, reader.Errors);
    }

    [Fact]
    public void Settings_default_to_auto_10_s_and_the_reporter_interval()
    {
        var (settings, errors) = ReadSettings(("interval", "45"));

        Assert.Empty(errors);
        Assert.Equal(new HddTempSettings("auto", TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(45)), settings);
        Assert.Equal("no", ReadSettings(("smartctl", "off")).Settings!.Smartctl);
    }

    [Theory]
    [InlineData("smartctl", "smartctl", "'smartctl' is not auto, no or an absolute path")]
    [InlineData("smartctl", "/nonexistent/smartctl", "/nonexistent/smartctl does not exist")]
    [InlineData("smartctl_timeout", "0", "0 s is out of range [1, 300]")]
    public void Bad_settings_are_named(string key, string value, string message)
    {
        var error = Assert.Single(ReadSettings((key, value)).Errors);

        Assert.Equal(("hddtemp", key, message), (error.Section, error.Key, error.Message));
    }

    [Fact]
    public void The_frame_round_trips_through_the_json_context()
    {
        var frame = Assert.IsType<HddTempFrame>(Read(Host("server-many-disks")).Frame) with { Hostname = "h", Timestamp = 1, Interval = 30, Seq = 6 };
        var bytes = FrameSerializer.ToUtf8(frame);

        var back = (Frame)System.Text.Json.JsonSerializer.Deserialize(bytes, FrameJsonContext.Default.GetTypeInfo(typeof(HddTempFrame))!)!;

        Assert.Equal(System.Text.Encoding.UTF8.GetString(bytes), System.Text.Encoding.UTF8.GetString(FrameSerializer.ToUtf8(back)));
    }
}
