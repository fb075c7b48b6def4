using Psistats.Agent.Configuration;
using Psistats.Agent.Reporters.Sensors;
using Psistats.Contracts.Frames;

namespace Psistats.Agent.Reporters.HddTemp;

/// <summary>
/// Reporter <c>hddtemp</c>: the temperature of every whole disk (<see cref="BlockDisk"/>), keyed by block device name.
/// <list type="number">
/// <item>From the hwmon chip whose parent device is the disk's device: <c>drivetemp</c> (SATA, Linux 5.6+; its parent is the
/// SCSI device <c>…/0:0:0:0</c> whose <c>block/</c> holds <c>sda</c>) or <c>nvme</c> (its parent is the controller
/// <c>…/nvme/nvme0</c> holding the namespaces <c>nvme0n1</c>...). <c>temp1</c> is the disk's temperature (NVMe: Composite),
/// with its limits; the other <c>tempN</c> are extra sensors (NVMe <c>Sensor 1</c>...).</item>
/// <item>Else, for sd/hd/nvme disks whose device node exists under the root filesystem, <see cref="ISmartctl"/>: run at most
/// once per disk per interval (results are reused in between), each run bounded by <c>smartctl_timeout</c>.</item>
/// </list>
/// Readings and limits outside -100..200 C are left out: NVMe reports 0 K (-273.15 C) and 65535 K for thresholds that are not set.
/// No disk with a temperature is "no data" with an empty <c>hddtemp</c> object.
/// </summary>
/// <param name="paths">Host roots: disks and chips under <c>sys</c>, device nodes under <c>rootfs/dev</c>.</param>
/// <param name="smartctl">The smartctl fallback, or null for none.</param>
/// <param name="interval">The reporter's interval, the shortest time between two smartctl runs on one disk (less 10% for timer jitter).</param>
/// <param name="time">The clock that spaces smartctl runs.</param>
public sealed class HddTempReporter(HostPaths paths, ISmartctl? smartctl, TimeSpan interval, TimeProvider time) : IReporter
{
    private readonly Dictionary<string, (DateTimeOffset At, SmartctlReading Reading)> _smartctlRuns = new(StringComparer.Ordinal);

    /// <inheritdoc />
    public string Name => HddTempFrame.Name;

    /// <inheritdoc />
    public ReporterReading Read()
    {
        var chips = new Dictionary<string, HwmonChip>(StringComparer.Ordinal);
        foreach (var chip in HwmonChip.Enumerate(paths).Where(c => c.Name is "drivetemp" or "nvme" && c.DevicePhysicalPath is not null))
        {
            chips.TryAdd(chip.DevicePhysicalPath!, chip);
        }

        var disks = BlockDisk.Enumerate(paths);
        var temperatures = new SortedDictionary<string, DiskTemperature>(StringComparer.Ordinal);
        var problems = new List<string>();
        foreach (var disk in disks)
        {
            var chip = disk.DeviceCandidates.Select(c => chips.GetValueOrDefault(c)).FirstOrDefault(c => c is not null);
            if (((chip is null ? null : FromHwmon(disk, chip)) ?? FromSmartctl(disk, problems)) is { } temperature)
            {
                temperatures[disk.Name] = temperature;
            }
        }

        foreach (var gone in _smartctlRuns.Keys.Except(disks.Select(d => d.Name)).ToList())
        {
            _smartctlRuns.Remove(gone);
        }

        var frame = new HddTempFrame { HddTemp = temperatures };
        if (temperatures.Count > 0)
        {
            return ReporterReading.Ok(frame);
        }

        var detail = disks.Count == 0
            ? $"no whole disk under {paths.SysFile("class/block")}"
            : $"no temperature for {string.Join(", ", disks.Select(d => d.Name))}: no drivetemp or nvme hwmon chip covers them"
              + (smartctl is null ? ", and smartctl is not installed or [hddtemp] smartctl = no" : "")
              + (problems.Count > 0 ? "; smartctl: " + string.Join("; ", problems) : "");
        return ReporterReading.NoData(detail, frame);
    }

    private static DiskTemperature? FromHwmon(BlockDisk disk, HwmonChip chip)
    {
        var temps = chip.Features("temp");
        if (temps.FirstOrDefault(t => t.Feature == "temp1") is not { } main || Plausible(main.Value) is not { } celsius)
        {
            return null;
        }

        var others = temps.Where(t => t != main && Plausible(t.Value) is not null)
            .Select(t => new DiskSensor { Label = t.Label, Temp = t.Value })
            .ToList();
        return new DiskTemperature
        {
            Temp = celsius,
            Source = chip.Name,
            Model = disk.DeviceAttribute("model"),
            Vendor = disk.DeviceAttribute("vendor"),
            Serial = disk.DeviceAttribute("serial"),
            Min = Plausible(main.Min),
            Max = Plausible(main.Max),
            Lcrit = Plausible(main.Lcrit),
            Crit = Plausible(main.Crit),
            Lowest = Plausible(main.Lowest),
            Highest = Plausible(main.Highest),
            Sensors = others.Count == 0 ? null : others,
        };
    }

    private DiskTemperature? FromSmartctl(BlockDisk disk, List<string> problems)
    {
        var node = paths.RootFile("/dev/" + disk.Name);
        if (smartctl is null || !disk.SpeaksSmart || !File.Exists(node))
        {
            return null;
        }

        var now = time.GetUtcNow();
        if (!_smartctlRuns.TryGetValue(disk.Name, out var last) || now - last.At >= interval * 0.9)
        {
            last = (now, smartctl.Read(node));
            _smartctlRuns[disk.Name] = last;
        }

        var reading = last.Reading;
        if (Plausible(reading.Temp) is not { } celsius)
        {
            problems.Add($"{disk.Name}: {reading.Problem ?? $"implausible temperature {reading.Temp}"}");
            return null;
        }

        return new DiskTemperature
        {
            Temp = celsius,
            Source = "smartctl",
            Model = disk.DeviceAttribute("model") ?? reading.Model,
            Vendor = disk.DeviceAttribute("vendor"),
            Serial = disk.DeviceAttribute("serial") ?? reading.Serial,
        };
    }

    private static double? Plausible(double? celsius) => celsius is >= -100 and <= 200 ? celsius : null;
}
