using System.Text;
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
    private readonly Dictionary<string, Interface> _interfaces = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Interface>.AlternateLookup<ReadOnlySpan<char>> _interfacesByName;
    private readonly List<string> _gone = [];
    private ulong? _previousUptime;
    private long _sample;

    /// <summary>A reporter reading under <paramref name="paths"/> with <paramref name="settings"/>.</summary>
    public NetReporter(HostPaths paths, NetSettings settings)
    {
        ArgumentNullException.ThrowIfNull(paths);
        ArgumentNullException.ThrowIfNull(settings);
        _settings = settings;
        _devPath = paths.ProcFile("net/dev");
        _uptimePath = paths.ProcFile("uptime");
        _interfacesByName = _interfaces.GetAlternateLookup<ReadOnlySpan<char>>();
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
        _sample++;

        var values = new Dictionary<string, NetInterface>(StringComparer.Ordinal);
        Span<char> name = stackalloc char[MaxNameLength];
        foreach (var line in new NetDevReader(_file.ReadAll(_devPath), _devPath))
        {
            var found = Find(line.Name, name);
            found.Sample = _sample;
            if (found.Ignored)
            {
                continue;
            }

            if (found.Previous is { } previous && !warming)
            {
                values[found.Name] = NetMath.Compute(previous, line.Counters, interval);
            }

            found.Previous = line.Counters;
        }

        ForgetInterfacesNotSeen();
        if (warming)
        {
            return ReporterReading.Warming($"first {_devPath} sample taken");
        }

        var frame = new NetFrame { Net = values };
        return values.Count > 0
            ? ReporterReading.Ok(frame)
            : ReporterReading.NoData($"no interface to report in {_devPath} (ignore = {string.Join(' ', _settings.Ignore.Patterns)})", frame);
    }

    private Interface Find(ReadOnlySpan<byte> nameBytes, Span<char> buffer)
    {
        if (nameBytes.Length > buffer.Length)
        {
            throw new FormatException($"{_devPath}: an interface name is longer than {MaxNameLength} characters");
        }

        var chars = buffer[..Encoding.UTF8.GetChars(nameBytes, buffer)];
        if (_interfacesByName.TryGetValue(chars, out var known))
        {
            return known;
        }

        var name = chars.ToString();
        var found = new Interface(name, _settings.Ignore.Matches(name));
        _interfaces.Add(name, found);
        return found;
    }

    private void ForgetInterfacesNotSeen()
    {
        foreach (var (name, found) in _interfaces)
        {
            if (found.Sample != _sample)
            {
                _gone.Add(name);
            }
        }

        foreach (var name in _gone)
        {
            _interfaces.Remove(name);
        }

        _gone.Clear();
    }

    private sealed class Interface(string name, bool ignored)
    {
        public string Name { get; } = name;

        public bool Ignored { get; } = ignored;

        public NetCounters? Previous { get; set; }

        public long Sample { get; set; }
    }
}
