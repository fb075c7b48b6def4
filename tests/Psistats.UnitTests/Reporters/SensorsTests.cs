using System.Text;
using Microsoft.Extensions.Configuration;
using Psistats.Agent.Configuration;
using Psistats.Agent.Reporters;
using Psistats.Agent.Reporters.Sensors;
using Psistats.Contracts.Configuration;
using Psistats.Contracts.Frames;
using Psistats.TestSupport;

namespace Psistats.UnitTests.Reporters;

public sealed class SensorsTests
{
    private static HostPaths Host(string host) => new(RepoPaths.Fixture("hosts", host, "proc"), RepoPaths.Fixture("hosts", host, "sys"));

    private static ReporterReading Read(HostPaths paths, string? devices = null)
    {
        var selectors = devices is null ? [] : SensorSelector.ParseList(devices).Selectors;
        return new SensorsReporter(paths, new SensorsSettings(selectors)).Read();
    }

    private static SensorsFrame ReadOk(HostPaths paths, string? devices = null)
    {
        var reading = Read(paths, devices);
        Assert.Equal(ReadingStatus.Ok, reading.Status);
        return Assert.IsType<SensorsFrame>(reading.Frame);
    }

    private static SensorChip Chip(SensorsFrame frame, string name, string? device = null) =>
        Assert.Single(frame.Sensors, c => c.Name == name && (device is null || c.Device == device));

    private static string Json(Frame frame) => Encoding.UTF8.GetString(FrameSerializer.ToUtf8(frame));

    [Theory]
    [InlineData("intel-coretemp", "acpitz@virtual/thermal/thermal_zone0", "coretemp@platform/coretemp.0",
        "drivetemp@pci0000:00/0000:00:17.0/ata1/host0/target0:0:0/0:0:0:0", "nct6775@platform/nct6775.656",
        "nvme@pci0000:00/0000:00:1d.0/0000:3d:00.0/nvme/nvme0")]
    [InlineData("amd-k10temp", "acpitz@virtual/thermal/thermal_zone0", "amdgpu@pci0000:00/0000:00:03.1/0000:0c:00.0",
        "drivetemp@pci0000:00/0000:00:08.1/0000:0b:00.2/ata1/host0/target0:0:0/0:0:0:0",
        "drivetemp@pci0000:00/0000:00:08.1/0000:0b:00.2/ata2/host1/target1:0:0/1:0:0:0",
        "k10temp@pci0000:00/0000:00:18.3", "nvme@pci0000:00/0000:00:01.1/0000:01:00.0/nvme/nvme0")]
    [InlineData("server-many-disks", "coretemp@platform/coretemp.0", "coretemp@platform/coretemp.1",
        "drivetemp@pci0000:00/0000:00:17.0/ata1/host0/target0:0:0/0:0:0:0",
        "drivetemp@pci0000:00/0000:00:17.0/ata2/host1/target1:0:0/1:0:0:0", "nct6779@platform/nct6775.2592",
        "nvme@pci0000:00/0000:00:1c.0/0000:02:00.0/nvme/nvme0", "nvme@pci0000:80/0000:80:02.0/0000:81:00.0/nvme/nvme1")]
    [InlineData("raspberry-pi", "cpu_thermal@virtual/thermal/thermal_zone0")]
    [InlineData("old-kernel-device-dir", "coretemp@platform/coretemp.0")]
    public void Every_chip_is_reported_by_name_and_device_path_in_that_order(string host, params string[] chips)
    {
        var frame = ReadOk(Host(host));

        Assert.Equal(chips, frame.Sensors.Select(c => $"{c.Name}@{c.Device}"));
    }

    [Fact]
    public void Sysfs_units_become_degrees_rpm_and_volts_with_limits_labels_and_alarms()
    {
        var nct = Chip(ReadOk(Host("intel-coretemp")), "nct6775");

        var cputin = Assert.Single(nct.Temperatures!, t => t.Feature == "temp2");
        Assert.Equal(("CPUTIN", 41.5, 80.0, false), (cputin.Label, cputin.Value, cputin.Max!.Value, cputin.Alarm!.Value));
        Assert.Null(cputin.Crit);
        Assert.Equal(["fan1", "fan2"], nct.Fans!.Select(f => f.Feature));
        Assert.Equal((812.0, 300.0), (nct.Fans![1].Value, nct.Fans[1].Min!.Value));
        var vcore = nct.Voltages![0];
        Assert.Equal(("in0", "in0", 0.88, 1.744), (vcore.Feature, vcore.Label, vcore.Value, vcore.Max!.Value));
        Assert.Equal(["in0", "in1", "in2", "in3", "in7", "in8"], nct.Voltages.Select(v => v.Feature));
        Assert.Null(nct.Power);
        Assert.Null(nct.Currents);
    }

    [Fact]
    public void Power_is_read_in_watts_from_the_average_and_amdgpu_fans_count_despite_fan1_enable_0()
    {
        var gpu = Chip(ReadOk(Host("amd-k10temp")), "amdgpu");

        var ppt = Assert.Single(gpu.Power!);
        Assert.Equal(("power1", "PPT", 9.0, 100.0), (ppt.Feature, ppt.Label, ppt.Value, ppt.Cap!.Value));
        Assert.Equal(0.0, Assert.Single(gpu.Fans!).Value);
        Assert.Equal(("vddgfx", 0.756), (gpu.Voltages![0].Label, gpu.Voltages[0].Value));
        Assert.Equal([105.0, 115.0, 105.0], gpu.Temperatures!.Select(t => t.Emergency!.Value));
    }

    [Fact]
    public void Nvme_limits_are_reported_as_the_kernel_gives_them()
    {
        var nvme = Chip(ReadOk(Host("intel-coretemp")), "nvme");

        Assert.Equal(["Composite", "Sensor 1", "Sensor 2"], nvme.Temperatures!.Select(t => t.Label));
        var composite = nvme.Temperatures![0];
        Assert.Equal((38.85, -273.15, 81.85, 84.85, false), (composite.Value, composite.Min!.Value, composite.Max!.Value, composite.Crit!.Value, composite.Alarm!.Value));
    }

    [Fact]
    public void Thermal_zones_come_with_their_trip_points_in_zone_order()
    {
        var frame = ReadOk(Host("intel-coretemp"));

        Assert.Equal(["thermal_zone0", "thermal_zone1"], frame.ThermalZones.Select(z => z.Zone));
        var acpitz = frame.ThermalZones[0];
        Assert.Equal(("acpitz", 27.8), (acpitz.Type, acpitz.Temp));
        Assert.Equal(("critical", 105.0), (Assert.Single(acpitz.Trips!).Type, acpitz.Trips![0].Temp));
    }

    [Fact]
    public void Zones_sort_by_number_not_by_text()
    {
        using var root = new TempDir();
        foreach (var (zone, type) in new[] { (10, "iwlwifi_1"), (2, "pch_cannonlake"), (1, "acpitz") })
        {
            var dir = Directory.CreateDirectory(Path.Combine(root.Path, "class", "thermal", $"thermal_zone{zone}")).FullName;
            File.WriteAllText(Path.Combine(dir, "type"), type + "\n");
            File.WriteAllText(Path.Combine(dir, "temp"), "40000\n");
        }

        var frame = ReadOk(new HostPaths(root.Path, root.Path));

        Assert.Equal(["acpitz", "pch_cannonlake", "iwlwifi_1"], frame.ThermalZones.Select(z => z.Type));
        Assert.All(frame.ThermalZones, z => Assert.Null(z.Trips));
    }

    [Fact]
    public void A_host_with_only_thermal_zones_reports_them()
    {
        var frame = ReadOk(Host("thermal-only"));

        Assert.Empty(frame.Sensors);
        Assert.Equal(["acpitz", "x86_pkg_temp"], frame.ThermalZones.Select(z => z.Type));
    }

    [Fact]
    public void A_host_without_hwmon_and_thermal_is_no_data_with_an_empty_frame()
    {
        var reading = Read(Host("no-sensors"));

        Assert.Equal(ReadingStatus.NoData, reading.Status);
        var frame = Assert.IsType<SensorsFrame>(reading.Frame);
        Assert.Empty(frame.Sensors);
        Assert.Empty(frame.ThermalZones);
        Assert.Contains("no hwmon chip", reading.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_sysfs_entirely_is_no_data()
    {
        using var root = new TempDir();

        Assert.Equal(ReadingStatus.NoData, Read(new HostPaths(root.Path, root.Path)).Status);
    }

    [Fact]
    public void Hwmon_numbers_do_not_change_the_output()
    {
        using var copy = new TempDir();
        FixtureTree.Copy(Host("intel-coretemp").Sys, copy.Path);
        FixtureTree.RenumberHwmon(copy.Path, 10);
        Assert.Contains("hwmon14", Directory.GetFileSystemEntries(Path.Combine(copy.Path, "class", "hwmon")).Select(Path.GetFileName));

        var original = ReadOk(Host("intel-coretemp"));
        var renumbered = ReadOk(new HostPaths(copy.Path, copy.Path));

        Assert.Equal(Json(original), Json(renumbered));
    }

    [Fact]
    public void Old_kernels_with_attributes_in_the_device_folder_are_read()
    {
        var coretemp = Chip(ReadOk(Host("old-kernel-device-dir")), "coretemp");

        Assert.Equal("platform/coretemp.0", coretemp.Device);
        Assert.Equal([("Physical id 0", 45.0), ("Core 0", 43.0)], coretemp.Temperatures!.Select(t => (t.Label, t.Value)));
    }

    [Fact]
    public void An_attribute_that_fails_to_read_is_skipped_not_a_failure()
    {
        using var copy = new TempDir();
        FixtureTree.Copy(Host("intel-coretemp").Sys, copy.Path);
        var coretemp = Path.Combine(copy.Path, "devices", "platform", "coretemp.0", "hwmon", "hwmon2");
        FixtureTree.MakeUnreadable(Path.Combine(coretemp, "temp2_input"));
        FixtureTree.MakeUnreadable(Path.Combine(coretemp, "temp1_max"));
        FixtureTree.MakeUnreadable(Path.Combine(coretemp, "temp3_label"));
        Assert.Throws<IOException>(() => File.ReadAllText(Path.Combine(coretemp, "temp2_input")));

        var chip = Chip(ReadOk(new HostPaths(copy.Path, copy.Path)), "coretemp");

        Assert.Equal([("temp1", "Package id 0"), ("temp3", "temp3")], chip.Temperatures!.Select(t => (t.Feature, t.Label)));
        Assert.Null(chip.Temperatures![0].Max);
        Assert.Equal(100.0, chip.Temperatures[0].Crit);
    }

    [Fact]
    public void Devices_selects_and_renames_features_and_leaves_out_thermal_zones()
    {
        var frame = ReadOk(Host("intel-coretemp"), "(CPU, coretemp.temp1) (Case fan, nct6775.fan2); nct6775.in0");

        Assert.Empty(frame.ThermalZones);
        Assert.Equal(["coretemp", "nct6775"], frame.Sensors.Select(c => c.Name));
        var cpu = Assert.Single(Chip(frame, "coretemp").Temperatures!);
        Assert.Equal(("temp1", "CPU", 52.0, 100.0), (cpu.Feature, cpu.Label, cpu.Value, cpu.Crit!.Value));
        var nct = Chip(frame, "nct6775");
        Assert.Null(nct.Temperatures);
        Assert.Equal(("fan2", "Case fan", 812.0), (Assert.Single(nct.Fans!).Feature, nct.Fans![0].Label, nct.Fans[0].Value));
        Assert.Equal(("in0", "nct6775.in0"), (Assert.Single(nct.Voltages!).Feature, nct.Voltages![0].Label));
    }

    [Fact]
    public void Devices_tells_chips_of_the_same_name_apart_by_device_path()
    {
        var both = ReadOk(Host("server-many-disks"), "(Package, coretemp.temp1)");
        var second = ReadOk(Host("server-many-disks"), "(CPU 2, coretemp@platform/coretemp.1.temp1)");

        Assert.Equal([("platform/coretemp.0", 45.0), ("platform/coretemp.1", 47.0)],
            both.Sensors.Select(c => (c.Device, Assert.Single(c.Temperatures!).Value)));
        var chip = Assert.Single(second.Sensors);
        Assert.Equal(("platform/coretemp.1", "CPU 2", 47.0), (chip.Device, chip.Temperatures![0].Label, chip.Temperatures[0].Value));
    }

    [Fact]
    public void Devices_that_match_nothing_is_no_data()
    {
        var reading = Read(Host("raspberry-pi"), "(CPU, coretemp.temp1)");

        Assert.Equal(ReadingStatus.NoData, reading.Status);
        Assert.Empty(Assert.IsType<SensorsFrame>(reading.Frame).Sensors);
        Assert.Contains("[sensors] devices", reading.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("(CPU, coretemp.temp1)", "CPU|coretemp||temp1")]
    [InlineData("coretemp.temp1", "coretemp.temp1|coretemp||temp1")]
    [InlineData("(Fan, rear, nct6775.fan2)", "Fan, rear|nct6775||fan2")]
    [InlineData("( CPU 1 ,coretemp@platform/coretemp.1.temp1 )", "CPU 1|coretemp|platform/coretemp.1|temp1")]
    [InlineData("(Board, nct6775@platform/nct6775.656.in0)", "Board|nct6775|platform/nct6775.656|in0")]
    [InlineData("(CPU, coretemp-*.temp1)", "CPU|coretemp||temp1")]
    [InlineData("(A, k10temp.temp1),(B, amdgpu.power1);(C, amdgpu.curr1)  (D, sht3x.humidity1)",
        "A|k10temp||temp1", "B|amdgpu||power1", "C|amdgpu||curr1", "D|sht3x||humidity1")]
    public void Devices_syntax_is_parsed(string value, params string[] expected)
    {
        var (selectors, error) = SensorSelector.ParseList(value);

        Assert.Null(error);
        Assert.Equal(expected, selectors.Select(s => $"{s.Label}|{s.Chip}|{s.Device}|{s.Feature}"));
    }

    [Theory]
    [InlineData("(CPU, coretemp.temp1", "no closing parenthesis")]
    [InlineData("(CPU coretemp.temp1)", "is not (LABEL, chip.feature)")]
    [InlineData("(, coretemp.temp1)", "empty label")]
    [InlineData("(CPU, coretemp)", "is not chip.feature")]
    [InlineData("(CPU, coretemp.)", "is not chip.feature")]
    [InlineData("(CPU, coretemp.Package id 0)", "is not a feature name")]
    [InlineData("(CPU, coretemp.pwm1)", "is not a feature name")]
    [InlineData("(CPU, coretemp-isa-0000.temp1)", "libsensors chip name: write the hwmon name ('coretemp')")]
    [InlineData("(CPU, coretemp@.temp1)", "is not a device path")]
    [InlineData("(CPU, coretemp@/sys/devices/platform/coretemp.0.temp1)", "is not a device path")]
    [InlineData("coretemp.temp1)", "is not (LABEL, chip.feature) or chip.feature")]
    [InlineData("(CPU, (x).temp1)", "is not (LABEL, chip.feature)")]
    public void Bad_devices_syntax_is_rejected_with_the_reason(string value, string reason)
    {
        var (selectors, error) = SensorSelector.ParseList(value);

        Assert.Empty(selectors);
        Assert.Contains(reason, error, StringComparison.Ordinal);
    }

    private static (AgentOptions Options, IReadOnlyList<ConfigError> Errors) ReadIni(string ini)
    {
        using var dir = new TempDir();
        var path = dir.File("psistats.ini");
        File.WriteAllText(path, ini);
        var reader = new SettingsReader(new ConfigurationBuilder().AddIniFile(path).Build());
        return (AgentOptions.Read(reader, () => "h"), reader.Errors);
    }

    [Fact]
    public void The_ini_reader_has_no_inline_comments_so_a_trailing_comment_is_reported()
    {
        var (_, errors) = ReadIni("[sensors]\ndevices = (CPU, coretemp.temp1); (Case fan, nct6775.fan2) # fans\n");

        var error = Assert.Single(errors);
        Assert.Equal(("sensors", "devices"), (error.Section, error.Key));
        Assert.StartsWith("'#': '#' is not chip.feature", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_valid_devices_line_reaches_the_reporter_settings()
    {
        var (options, errors) = ReadIni("[sensors]\ndevices = (CPU, coretemp.temp1); (Case fan, nct6775.fan2)\n");

        Assert.Empty(errors);
        var settings = Assert.IsType<SensorsSettings>(options.Reporters.Single(r => r.Name == "sensors").Settings);
        Assert.Equal(["CPU", "Case fan"], settings.Devices.Select(s => s.Label));
    }

    [Fact]
    public void A_bad_devices_line_is_named_by_check_config()
    {
        var (_, errors) = ReadIni("[sensors]\ndevices = (CPU, coretemp.temp1) (Fan, nct6775)\n");

        var error = Assert.Single(errors);
        Assert.Equal(("sensors", "devices"), (error.Section, error.Key));
        Assert.Contains("'(Fan, nct6775)': 'nct6775' is not chip.feature", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Psistats_devices_key_is_unknown_and_its_repeated_form_does_not_load()
    {
        var (_, errors) = ReadIni("[sensors]\ndevices[] = (CPU, coretemp.temp1)\n");
        Assert.Equal(("sensors", "devices[]"), (Assert.Single(errors).Section, errors[0].Key));

        using var dir = new TempDir();
        File.WriteAllText(dir.File("psistats.ini"), "[sensors]\ndevices[] = (CPU, coretemp.temp1)\ndevices[] = (Fan, nct6775.fan1)\n");
        var ex = Assert.Throws<InvalidDataException>(() => new ConfigurationBuilder().AddIniFile(dir.File("psistats.ini")).Build());
        Assert.Contains("duplicate key", ex.InnerException?.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_frame_keeps_absent_limits_out_of_the_json()
    {
        var json = Json(ReadOk(Host("intel-coretemp"), "(Core 0, coretemp.temp2)"));

        Assert.Contains("\"sensors\":[{\"name\":\"coretemp\",\"device\":\"platform/coretemp.0\",\"temperatures\":[{\"feature\":\"temp2\",\"label\":\"Core 0\",\"value\":49}]}],\"thermal_zones\":[]", json, StringComparison.Ordinal);
    }

    [Fact]
    public void The_frame_round_trips_through_the_json_context()
    {
        var frame = ReadOk(Host("amd-k10temp")) with { Hostname = "h", Timestamp = 1, Interval = 10, Seq = 5 };
        var bytes = FrameSerializer.ToUtf8(frame);

        var back = (Frame)System.Text.Json.JsonSerializer.Deserialize(bytes, FrameJsonContext.Default.GetTypeInfo(typeof(SensorsFrame))!)!;

        Assert.Equal(Encoding.UTF8.GetString(bytes), Json(back));
    }
}
