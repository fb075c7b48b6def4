using Psistats.Agent.Configuration;
using Psistats.Agent.Reporters;
using Psistats.Agent.Reporters.CpuTemp;
using Psistats.Contracts.Frames;
using Psistats.TestSupport;

namespace Psistats.UnitTests.Reporters;

public sealed class CpuTempTests
{
    private static ReporterReading ReadHost(string host) =>
        new CpuTempReporter(new HostPaths(RepoPaths.Fixture("hosts", host, "proc"), RepoPaths.Fixture("hosts", host, "sys"))).Read();

    [Theory]
    [InlineData("intel-coretemp", 52.0, "hwmon:coretemp/Package id 0")]
    [InlineData("amd-k10temp", 61.5, "hwmon:k10temp/Tctl")]
    [InlineData("thermal-only", 55.0, "thermal:x86_pkg_temp")]
    [InlineData("raspberry-pi", 48.3, "hwmon:cpu_thermal/temp1")]
    [InlineData("old-kernel-device-dir", 45.0, "hwmon:coretemp/Physical id 0")]
    public void Reads_the_cpu_sensor_of_each_fixture_host(string host, double celsius, string source)
    {
        var reading = ReadHost(host);

        Assert.Equal(ReadingStatus.Ok, reading.Status);
        var frame = Assert.IsType<CpuTempFrame>(reading.Frame);
        Assert.Equal(celsius, frame.CpuTemp);
        Assert.Equal(source, frame.Source);
    }

    [Fact]
    public void A_host_without_sensors_reports_null_and_no_data_not_an_error()
    {
        var reading = ReadHost("no-sensors");

        Assert.Equal(ReadingStatus.NoData, reading.Status);
        var frame = Assert.IsType<CpuTempFrame>(reading.Frame);
        Assert.Null(frame.CpuTemp);
        Assert.Contains("no CPU sensor", reading.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_sysfs_entirely_is_no_data()
    {
        using var root = new TempDir();

        Assert.Equal(ReadingStatus.NoData, new CpuTempReporter(new HostPaths(root.Path, root.Path)).Read().Status);
    }

    [Fact]
    public void Implausible_readings_are_skipped()
    {
        using var root = new TempDir();
        var chip = Directory.CreateDirectory(Path.Combine(root.Path, "class", "hwmon", "hwmon0")).FullName;
        File.WriteAllText(Path.Combine(chip, "name"), "coretemp\n");
        File.WriteAllText(Path.Combine(chip, "temp1_input"), "-273000\n");
        File.WriteAllText(Path.Combine(chip, "temp1_label"), "Package id 0\n");
        File.WriteAllText(Path.Combine(chip, "temp2_input"), "47000\n");
        File.WriteAllText(Path.Combine(chip, "temp2_label"), "Core 0\n");

        var frame = Assert.IsType<CpuTempFrame>(new CpuTempReporter(new HostPaths(root.Path, root.Path)).Read().Frame);

        Assert.Equal(47.0, frame.CpuTemp);
        Assert.Equal("hwmon:coretemp/Core 0", frame.Source);
    }
}
