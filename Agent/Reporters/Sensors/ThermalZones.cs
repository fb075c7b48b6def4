using System.Text.RegularExpressions;
using Psistats.Agent.Configuration;
using Psistats.Contracts.Frames;

namespace Psistats.Agent.Reporters.Sensors;

/// <summary>
/// Thermal zones as Documentation/ABI/testing/sysfs-class-thermal describes them: <c>sys/class/thermal/thermal_zoneN</c>
/// with <c>type</c>, <c>temp</c> (millidegrees C) and trip points <c>trip_point_K_type</c> / <c>trip_point_K_temp</c>.
/// A zone whose <c>type</c> or <c>temp</c> cannot be read this time (ENODATA from a sensor that is off) is left out.
/// </summary>
public static partial class ThermalZones
{
    /// <summary>Every readable thermal zone, in zone-number order.</summary>
    public static IReadOnlyList<ThermalZone> Read(HostPaths paths)
    {
        ArgumentNullException.ThrowIfNull(paths);
        var zones = new List<ThermalZone>();
        foreach (var dir in Sysfs.Entries(paths.SysFile("class/thermal"), "thermal_zone*").OrderBy(d => Sysfs.TrailingNumber(Path.GetFileName(d))))
        {
            if (Sysfs.ReadText(Path.Combine(dir, "type")) is not { } type || Sysfs.ReadLong(Path.Combine(dir, "temp")) is not { } milli)
            {
                continue;
            }

            var trips = new List<(long Index, ThermalTrip Trip)>();
            foreach (var name in Sysfs.AttributeNames(dir))
            {
                var match = TripType().Match(name);
                if (match.Success
                    && Sysfs.ReadText(Path.Combine(dir, name)) is { } tripType
                    && Sysfs.ReadLong(Path.Combine(dir, $"trip_point_{match.Groups["index"].Value}_temp")) is { } tripMilli)
                {
                    trips.Add((Sysfs.TrailingNumber(match.Groups["index"].Value), new ThermalTrip { Type = tripType, Temp = tripMilli / 1000.0 }));
                }
            }

            zones.Add(new ThermalZone
            {
                Zone = Path.GetFileName(dir),
                Type = type,
                Temp = milli / 1000.0,
                Trips = trips.Count == 0 ? null : [.. trips.OrderBy(t => t.Index).Select(t => t.Trip)],
            });
        }

        return zones;
    }

    [GeneratedRegex("^trip_point_(?<index>[0-9]+)_type$", RegexOptions.CultureInvariant)]
    private static partial Regex TripType();
}
