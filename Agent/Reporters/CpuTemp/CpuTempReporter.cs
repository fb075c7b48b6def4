using Psistats.Agent.Configuration;
using Psistats.Agent.Reporters.Sensors;
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
            ? ReporterReading.Ok(new CpuTempFrame { CpuTemp = Math.Round(reading.Celsius, 1), Source = reading.Source })
            : ReporterReading.NoData($"no CPU sensor under {paths.SysFile("class/hwmon")} or {paths.SysFile("class/thermal")}",
                new CpuTempFrame { CpuTemp = null, Source = null });
    }

    /// <summary>The preferred label of the first CPU chip (by <see cref="CpuChips"/> order), else that chip's hottest input.</summary>
    private (double Celsius, string Source)? FromHwmon()
    {
        var chips = HwmonChip.Enumerate(paths);
        foreach (var (name, labels) in CpuChips)
        {
            foreach (var chip in chips.Where(c => c.Name == name))
            {
                var temps = chip.Features("temp").Where(t => Plausible(t.Value)).ToList();
                if (temps.Count == 0)
                {
                    continue;
                }

                var best = labels.Select(label => temps.FirstOrDefault(t => t.Label == label)).FirstOrDefault(t => t is not null)
                    ?? temps.MaxBy(t => t.Value)!;
                return (best.Value, $"hwmon:{name}/{best.Label}");
            }
        }

        return null;
    }

    private (double Celsius, string Source)? FromThermalZones()
    {
        var zones = ThermalZones.Read(paths).Where(z => Plausible(z.Temp)).ToList();
        foreach (var type in CpuZones)
        {
            if (zones.FirstOrDefault(z => z.Type == type) is { } zone)
            {
                return (zone.Temp, $"thermal:{type}");
            }
        }

        return null;
    }

    /// <summary>Readings below -100 C or above 200 C come from a sensor reporting garbage (or -273.15 "not set").</summary>
    private static bool Plausible(double celsius) => celsius is >= -100 and <= 200;
}
