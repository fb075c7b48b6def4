using System.Globalization;
using System.Text.RegularExpressions;
using Psistats.Agent.Configuration;
using Psistats.Contracts.Frames;

namespace Psistats.Agent.Reporters.Sensors;

/// <summary>
/// One hwmon chip as Documentation/hwmon/sysfs-interface.rst lays it out: <c>sys/class/hwmon/hwmonN</c> with a
/// <c>name</c> and one file per attribute (<c>temp1_input</c>, <c>fan2_min</c>, ...). With old drivers that put the attributes
/// on their parent device, they live in <c>hwmonN/device/</c> instead (the chip folder has no <c>name</c>), as libsensors also accepts.
/// Identified by <see cref="Name"/> and <see cref="Device"/>, never by the hwmonN number, which depends on probe order.
/// </summary>
/// <param name="Name">The <c>name</c> attribute, e.g. <c>coretemp</c>.</param>
/// <param name="Device">The parent device relative to <c>/sys/devices</c> (e.g. <c>platform/coretemp.0</c>); null without a <c>device</c> link.</param>
/// <param name="DevicePhysicalPath">The parent device's physical path, for matching other sysfs objects (block devices) to the chip.</param>
/// <param name="AttributeDir">The folder holding the attributes.</param>
/// <param name="Attributes">The attribute file names in <paramref name="AttributeDir"/>.</param>
public sealed partial record HwmonChip(string Name, string? Device, string? DevicePhysicalPath, string AttributeDir, IReadOnlySet<string> Attributes)
{
    /// <summary>Feature kinds: sysfs prefix and the divisor from the sysfs unit to the frame's unit (sysfs-interface.rst, "Values").</summary>
    private static readonly (string Prefix, double Divisor)[] Kinds =
    [
        ("temp", 1000),      // millidegrees C -> C
        ("fan", 1),          // RPM
        ("in", 1000),        // millivolts -> V
        ("power", 1_000_000), // microwatts -> W
        ("curr", 1000),      // milliamperes -> A
        ("humidity", 1000),  // milli-percent -> percent RH
    ];

    /// <summary>Every hwmon chip under <c>sys/class/hwmon</c> that has a name, ordered by name then device path.</summary>
    public static IReadOnlyList<HwmonChip> Enumerate(HostPaths paths)
    {
        ArgumentNullException.ThrowIfNull(paths);
        var chips = new List<HwmonChip>();
        foreach (var hwmon in Sysfs.Entries(paths.SysFile("class/hwmon"), "hwmon*"))
        {
            var attributeDir = File.Exists(Path.Combine(hwmon, "name")) ? hwmon : Path.Combine(hwmon, "device");
            if (Sysfs.ReadText(Path.Combine(attributeDir, "name")) is not { } name)
            {
                continue;
            }

            var device = Sysfs.DeviceOf(paths.Sys, hwmon);
            chips.Add(new HwmonChip(name, device?.Relative, device?.Physical, attributeDir, Sysfs.AttributeNames(attributeDir)));
        }

        return [.. chips.OrderBy(c => c.Name, StringComparer.Ordinal).ThenBy(c => c.Device, StringComparer.Ordinal)];
    }

    /// <summary>
    /// The chip's readable features of one kind (<c>temp</c>, <c>fan</c>, <c>in</c>, <c>power</c>, <c>curr</c>, <c>humidity</c>),
    /// in feature-number order. A feature whose <c>_input</c> cannot be read this time is left out.
    /// </summary>
    public IReadOnlyList<SensorFeature> Features(string kind)
    {
        var divisor = Kinds.Single(k => k.Prefix == kind).Divisor;
        var result = new List<(long Index, SensorFeature Feature)>();
        foreach (var attribute in Attributes)
        {
            var match = InputAttribute().Match(attribute);
            if (!match.Success || match.Groups["kind"].Value != kind || (match.Groups["which"].Value == "average" && kind != "power"))
            {
                continue;
            }

            var feature = kind + match.Groups["index"].Value;
            if (match.Groups["which"].Value == "average" && Attributes.Contains(feature + "_input"))
            {
                continue;
            }

            // A disabled channel fails its read with ENODATA (sysfs-interface.rst); _enable itself is not trusted, since
            // amdgpu reports fan1_enable = 0 in automatic fan mode while fan1_input reads fine.
            if (Read(attribute) is not { } raw)
            {
                continue;
            }

            result.Add((long.Parse(match.Groups["index"].Value, CultureInfo.InvariantCulture), new SensorFeature
            {
                Feature = feature,
                Label = ReadText(feature + "_label") ?? feature,
                Value = raw / divisor,
                Min = Read(feature + "_min") / divisor,
                Max = Read(feature + "_max") / divisor,
                Lcrit = Read(feature + "_lcrit") / divisor,
                Crit = Read(feature + "_crit") / divisor,
                Emergency = Read(feature + "_emergency") / divisor,
                Cap = Read(feature + "_cap") / divisor,
                Lowest = Read(feature + "_lowest") / divisor,
                Highest = Read(feature + "_highest") / divisor,
                Alarm = Flag(feature + "_alarm"),
                MinAlarm = Flag(feature + "_min_alarm"),
                MaxAlarm = Flag(feature + "_max_alarm"),
                LcritAlarm = Flag(feature + "_lcrit_alarm"),
                CritAlarm = Flag(feature + "_crit_alarm"),
                EmergencyAlarm = Flag(feature + "_emergency_alarm"),
                CapAlarm = Flag(feature + "_cap_alarm"),
                Fault = Flag(feature + "_fault"),
            }));
        }

        return [.. result.OrderBy(f => f.Index).Select(f => f.Feature)];
    }

    /// <summary>The chip as the frame carries it: every feature group that is not empty; null when the chip has no feature at all.</summary>
    public SensorChip? ToSensorChip()
    {
        var chip = new SensorChip
        {
            Name = Name,
            Device = Device,
            Temperatures = NullIfEmpty(Features("temp")),
            Fans = NullIfEmpty(Features("fan")),
            Voltages = NullIfEmpty(Features("in")),
            Power = NullIfEmpty(Features("power")),
            Currents = NullIfEmpty(Features("curr")),
            Humidity = NullIfEmpty(Features("humidity")),
        };
        return chip is { Temperatures: null, Fans: null, Voltages: null, Power: null, Currents: null, Humidity: null } ? null : chip;
    }

    /// <summary>An integer attribute of the chip, or null when absent or unreadable.</summary>
    public long? Read(string attribute) => Attributes.Contains(attribute) ? Sysfs.ReadLong(Path.Combine(AttributeDir, attribute)) : null;

    /// <summary>A text attribute of the chip, or null when absent, unreadable or empty.</summary>
    public string? ReadText(string attribute) => Attributes.Contains(attribute) ? Sysfs.ReadText(Path.Combine(AttributeDir, attribute)) : null;

    private bool? Flag(string attribute) => Read(attribute) is { } value ? value != 0 : null;

    private static IReadOnlyList<SensorFeature>? NullIfEmpty(IReadOnlyList<SensorFeature> features) => features.Count == 0 ? null : features;

    [GeneratedRegex("^(?<kind>temp|fan|in|power|curr|humidity)(?<index>[0-9]+)_(?<which>input|average)$", RegexOptions.CultureInvariant)]
    private static partial Regex InputAttribute();
}
