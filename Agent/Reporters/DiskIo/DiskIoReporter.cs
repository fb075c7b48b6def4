using Psistats.Agent.Configuration;
using Psistats.Contracts.Frames;

namespace Psistats.Agent.Reporters.DiskIo;

/// <summary>
/// Reporter <c>diskio</c>: per block device, the columns of <c>iostat -dx</c> over the last interval, from two samples
/// of /proc/diskstats and the interval between two readings of /proc/uptime (see <see cref="DiskIoMath"/>).
/// The first reading only takes a sample (a rate needs two). Devices are whole disks (sd*, nvme*n*, vd*, mmcblk*),
/// md and device-mapper devices; partitions (a <c>partition</c> file in /sys/class/block/&lt;dev&gt;/) only with
/// <c>partitions = yes</c>; names matching <c>ignore</c> are left out. A device that appears is reported from its second
/// sample on; one that disappears is dropped. Without /proc/diskstats, or with no device left to report, the reading is
/// "no data" with an empty <c>diskio</c> object.
/// </summary>
public sealed class DiskIoReporter : IReporter
{
    private const int MaxNameLength = 256;
    private readonly HostPaths _paths;
    private readonly DiskIoSettings _settings;
    private readonly string _diskstatsPath;
    private readonly string _uptimePath;
    private readonly KernelFile _file = new();
    private readonly CounterTable<DiskCounters, Device> _devices;
    private ulong? _previousUptime;

    /// <summary>A reporter reading under <paramref name="paths"/> with <paramref name="settings"/>.</summary>
    public DiskIoReporter(HostPaths paths, DiskIoSettings settings)
    {
        ArgumentNullException.ThrowIfNull(paths);
        ArgumentNullException.ThrowIfNull(settings);
        _paths = paths;
        _settings = settings;
        _diskstatsPath = paths.ProcFile("diskstats");
        _uptimePath = paths.ProcFile("uptime");
        _devices = new CounterTable<DiskCounters, Device>(_diskstatsPath, "a device", MaxNameLength, Describe);
    }

    /// <inheritdoc />
    public string Name => DiskIoFrame.Name;

    /// <inheritdoc />
    public ReporterReading Read()
    {
        if (!File.Exists(_diskstatsPath))
        {
            _previousUptime = null;
            _devices.Clear();
            return ReporterReading.NoData($"{_diskstatsPath} does not exist", new DiskIoFrame());
        }

        var uptime = ProcUptime.ReadCentiseconds(_file, _uptimePath);
        var warming = _previousUptime is null;
        var interval = ProcUptime.Interval(_previousUptime ?? 0, uptime);
        _previousUptime = uptime;
        _devices.BeginSample();

        var values = new Dictionary<string, DiskIoDevice>(StringComparer.Ordinal);
        foreach (var line in new DiskStatsReader(_file.ReadAll(_diskstatsPath), _diskstatsPath))
        {
            var device = _devices.Find(line.Name);
            if (device.Info.Ignored)
            {
                continue;
            }

            if (device.Previous is { } previous && !warming)
            {
                values[device.Name] = DiskIoMath.Compute(previous, line.Counters, interval, device.Info.DmName);
            }

            device.Previous = line.Counters;
        }

        _devices.EndSample();
        if (warming)
        {
            return ReporterReading.Warming($"first {_diskstatsPath} sample taken");
        }

        var frame = new DiskIoFrame { DiskIo = values };
        return values.Count > 0
            ? ReporterReading.Ok(frame)
            : ReporterReading.NoData($"no block device to report in {_diskstatsPath} (partitions = {(_settings.Partitions ? "yes" : "no")}, ignore = {string.Join(' ', _settings.Ignore.Patterns)})", frame);
    }

    /// <summary>What is decided once per device: left out (ignore, or a partition without partitions = yes), and its dm name.</summary>
    private Device Describe(string name) => new(
        _settings.Ignore.Matches(name) || (!_settings.Partitions && IsPartition(name)),
        name.StartsWith("dm-", StringComparison.Ordinal) ? ReadDmName(name) : null);

    /// <summary>The kernel's way to tell a partition: /sys/class/block/&lt;dev&gt;/partition exists (sysfs-block ABI). '/' in a name is '!' in sysfs.</summary>
    private bool IsPartition(string name) => File.Exists(Path.Combine(_paths.SysFile("class/block"), name.Replace('/', '!'), "partition"));

    private string? ReadDmName(string name)
    {
        try
        {
            var path = Path.Combine(_paths.SysFile("class/block"), name, "dm", "name");
            return File.Exists(path) ? File.ReadAllText(path).Trim() : null;
        }
        catch (IOException)
        {
            // A mapping removed between the listing and this read has no name to give.
            return null;
        }
    }

    /// <param name="Ignored">Left out of the frame.</param>
    /// <param name="DmName">A device-mapper device's name (/sys/class/block/dm-N/dm/name).</param>
    private sealed record Device(bool Ignored, string? DmName);
}
