using System.Globalization;
using Psistats.Agent.Configuration;
using Psistats.Contracts.Frames;

namespace Psistats.Agent.Reporters.CpuTemp;

/// <summary>
/// Reporter <c>cpu_temp</c>: the CPU temperature in degrees C.
/// Looks first at hwmon chips known to measure the CPU (Documentation/hwmon/sysfs-interface.rst:
/// <c>hwmonN/name</c>, <c>tempK_input</c> in millidegrees C, <c>tempK_label</c>), keyed by chip name since
/// hwmonN numbering is not stable; then at thermal zones (<c>thermal_zoneN/type</c>, <c>temp</c> in millidegrees C).
/// With neither, the frame carries <c>cpu_temp: null</c> and the reporter is in the "no data" state.
/// </summary>
public sealed class CpuTempReporter(HostPaths paths) : IReporter
{
    /// <summary>hwmon chip names that measure the CPU, best first, each with its preferred labels (best first).</summary>
    private static readonly (string Chip, string[] Labels)[] CpuChips =
    [
        ("coretemp", ["Package id 0", "Physical id 0"]),
        ("k10temp", ["Tdie", "Tctl"]),
        ("zenpower", ["Tdie", "Tctl"]),
        ("cpu_thermal", []),
        ("cpu-thermal", []),
        ("soc_thermal", []),
    ];

    /// <summary>Thermal zone types that measure the CPU, best first.</summary>
    private static readonly string[] CpuZones = ["x86_pkg_temp", "cpu-thermal", "cpu_thermal", "soc-thermal", "soc_thermal", "cpu", "acpitz"];

    /// <inheritdoc />
    public string Name => CpuTempFrame.Name;

    /// <inheritdoc />
    public ReporterReading Read()
    {
        var found = FromHwmon() ?? FromThermalZones();
        return found is { } reading
            ? ReporterReading.Ok(new CpuTempFrame { CpuTemp = reading.Celsius, Source = reading.Source })
            : ReporterReading.NoData($"no CPU sensor under {paths.SysFile("class/hwmon")} or {paths.SysFile("class/thermal")}",
                new CpuTempFrame { CpuTemp = null, Source = null });
    }

    private (double Celsius, string Source)? FromHwmon()
    {
        var root = paths.SysFile("class/hwmon");
        if (!Directory.Exists(root))
        {
            return null;
        }

        var chips = Directory.GetFileSystemEntries(root)
            .Select(dir => (Dir: dir, Name: ReadTrimmed(Path.Combine(dir, "name")) ?? ReadTrimmed(Path.Combine(dir, "device", "name"))))
            .Where(c => c.Name is not null)
            .ToList();
        foreach (var (chip, labels) in CpuChips)
        {
            foreach (var (dir, _) in chips.Where(c => c.Name == chip).OrderBy(c => c.Dir, StringComparer.Ordinal))
            {
                var temps = ReadTemps(dir);
                if (temps.Count == 0)
                {
                    continue;
                }

                foreach (var label in labels)
                {
                    var match = temps.FirstOrDefault(t => t.Label == label);
                    if (match.Label is not null)
                    {
                        return (match.Celsius, $"hwmon:{chip}/{label}");
                    }
                }

                var hottest = temps.MaxBy(t => t.Celsius);
                return (hottest.Celsius, $"hwmon:{chip}/{hottest.Label}");
            }
        }

        return null;
    }

    /// <summary>Every readable <c>tempK_input</c> of a chip (in the chip folder or, on old kernels, its device folder).</summary>
    private static List<(string Label, double Celsius)> ReadTemps(string chipDir)
    {
        var result = new List<(string, double)>();
        foreach (var dir in new[] { chipDir, Path.Combine(chipDir, "device") })
        {
            if (!Directory.Exists(dir))
            {
                continue;
            }

            foreach (var input in Directory.GetFiles(dir, "temp*_input").Order(StringComparer.Ordinal))
            {
                var celsius = ReadMillidegrees(input);
                if (celsius is null)
                {
                    continue;
                }

                var prefix = Path.GetFileName(input)[..^"_input".Length];
                result.Add((ReadTrimmed(Path.Combine(dir, prefix + "_label")) ?? prefix, celsius.Value));
            }

            if (result.Count > 0)
            {
                break;
            }
        }

        return result;
    }

    private (double Celsius, string Source)? FromThermalZones()
    {
        var root = paths.SysFile("class/thermal");
        if (!Directory.Exists(root))
        {
            return null;
        }

        var zones = Directory.GetFileSystemEntries(root, "thermal_zone*")
            .Select(dir => (Type: ReadTrimmed(Path.Combine(dir, "type")), Celsius: ReadMillidegrees(Path.Combine(dir, "temp"))))
            .Where(z => z.Type is not null && z.Celsius is not null)
            .ToList();
        foreach (var type in CpuZones)
        {
            var zone = zones.FirstOrDefault(z => z.Type == type);
            if (zone.Type is not null)
            {
                return (zone.Celsius!.Value, $"thermal:{type}");
            }
        }

        return null;
    }

    /// <summary>A sysfs millidegree value in degrees C; null when unreadable or implausible (below -100 C or above 200 C).</summary>
    private static double? ReadMillidegrees(string path)
    {
        var text = ReadTrimmed(path);
        if (text is null || !long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var milli))
        {
            return null;
        }

        var celsius = milli / 1000.0;
        return celsius is < -100 or > 200 ? null : Math.Round(celsius, 1);
    }

    private static string? ReadTrimmed(string path)
    {
        try
        {
            return File.Exists(path) ? File.ReadAllText(path).Trim() : null;
        }
        catch (IOException)
        {
            // A sensor that fails to read (EIO, ENXIO on a sleeping device) counts as absent this time.
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }
}
