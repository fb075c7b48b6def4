using Psistats.Agent.Configuration;
using Psistats.Contracts.Frames;

namespace Psistats.Agent.Reporters.Net;

/// <summary>
/// Reporter <c>net</c>: per interface, bytes, packets, errors and drops per second in and out over the last interval,
/// from two samples of /proc/net/dev and the interval between two readings of /proc/uptime (<see cref="ProcUptime"/>;
/// formulas in <see cref="NetMath"/>). The first reading only takes a sample. Interfaces matching <c>ignore</c>
/// (default <c>lo</c>) are left out; an interface that appears is reported from its second sample on, one that
/// disappears is dropped. Without /proc/net/dev, or with no interface left to report, the reading is "no data" with an
/// empty <c>net</c> object.
/// </summary>
public sealed class NetReporter : IReporter
{
    private const int MaxNameLength = 64;
    private readonly NetSettings _settings;
    private readonly string _devPath;
    private readonly string _uptimePath;
    private readonly KernelFile _file = new();
    private readonly CounterTable<NetCounters, bool> _interfaces;
    private ulong? _previousUptime;

    /// <summary>A reporter reading under <paramref name="paths"/> with <paramref name="settings"/>.</summary>
    public NetReporter(HostPaths paths, NetSettings settings)
    {
        ArgumentNullException.ThrowIfNull(paths);
        ArgumentNullException.ThrowIfNull(settings);
        _settings = settings;
        _devPath = paths.ProcFile("net/dev");
        _uptimePath = paths.ProcFile("uptime");
        _interfaces = new CounterTable<NetCounters, bool>(_devPath, "an interface", MaxNameLength, settings.Ignore.Matches);
    }

    /// <inheritdoc />
    public string Name => NetFrame.Name;

    /// <inheritdoc />
    public ReporterReading Read()
    {
        if (!File.Exists(_devPath))
        {
            _previousUptime = null;
            _interfaces.Clear();
            return ReporterReading.NoData($"{_devPath} does not exist", new NetFrame());
        }

        var uptime = ProcUptime.ReadCentiseconds(_file, _uptimePath);
        var warming = _previousUptime is null;
        var interval = ProcUptime.Interval(_previousUptime ?? 0, uptime);
        _previousUptime = uptime;
        _interfaces.BeginSample();

        var values = new Dictionary<string, NetInterface>(StringComparer.Ordinal);
        foreach (var line in new NetDevReader(_file.ReadAll(_devPath), _devPath))
        {
            // Info: the interface matches ignore.
            var found = _interfaces.Find(line.Name);
            if (found.Info)
            {
                continue;
            }

            if (found.Previous is { } previous && !warming)
            {
                values[found.Name] = NetMath.Compute(previous, line.Counters, interval);
            }

            found.Previous = line.Counters;
        }

        _interfaces.EndSample();
        if (warming)
        {
            return ReporterReading.Warming($"first {_devPath} sample taken");
        }

        var frame = new NetFrame { Net = values };
        return values.Count > 0
            ? ReporterReading.Ok(frame)
            : ReporterReading.NoData($"no interface to report in {_devPath} (ignore = {string.Join(' ', _settings.Ignore.Patterns)})", frame);
    }
}
