using Psistats.Agent.Configuration;
using Psistats.Contracts.Frames;

namespace Psistats.Agent.Reporters.Sensors;

/// <summary>
/// Reporter <c>sensors</c>: every hwmon chip's features with labels and limits (<see cref="HwmonChip"/>) and every thermal zone
/// (<see cref="ThermalZones"/>). With <c>[sensors] devices</c> set, only the listed features are sent, each under its LABEL,
/// and thermal zones are left out (a zone that matters has an hwmon twin, e.g. acpitz or cpu_thermal, that can be listed).
/// A host with neither hwmon chips nor thermal zones, or where no listed feature exists, is "no data" with an empty frame.
/// </summary>
public sealed class SensorsReporter(HostPaths paths, SensorsSettings settings) : IReporter
{
    /// <inheritdoc />
    public string Name => SensorsFrame.Name;

    /// <inheritdoc />
    public ReporterReading Read()
    {
        var chips = HwmonChip.Enumerate(paths).Select(c => c.ToSensorChip()).OfType<SensorChip>();
        var filtered = settings.Devices.Count > 0;
        var frame = new SensorsFrame
        {
            Sensors = [.. filtered ? chips.Select(Select).OfType<SensorChip>() : chips],
            ThermalZones = filtered ? [] : ThermalZones.Read(paths),
        };
        if (frame.Sensors.Count > 0 || frame.ThermalZones.Count > 0)
        {
            return ReporterReading.Ok(frame);
        }

        return ReporterReading.NoData(
            filtered
                ? $"none of the {settings.Devices.Count} [sensors] devices entries matches a feature under {paths.SysFile("class/hwmon")}"
                : $"no hwmon chip under {paths.SysFile("class/hwmon")} and no thermal zone under {paths.SysFile("class/thermal")}",
            frame);
    }

    /// <summary>The chip with only the features the filter lists, each renamed to its LABEL; null when none is listed.</summary>
    private SensorChip? Select(SensorChip chip)
    {
        IReadOnlyList<SensorFeature>? Keep(IReadOnlyList<SensorFeature>? features)
        {
            var kept = (features ?? [])
                .Select(f => (Feature: f, Selector: settings.Devices.FirstOrDefault(s => s.Matches(chip, f))))
                .Where(x => x.Selector is not null)
                .Select(x => x.Feature with { Label = x.Selector!.Label })
                .ToList();
            return kept.Count == 0 ? null : kept;
        }

        var selected = chip with
        {
            Temperatures = Keep(chip.Temperatures),
            Fans = Keep(chip.Fans),
            Voltages = Keep(chip.Voltages),
            Power = Keep(chip.Power),
            Currents = Keep(chip.Currents),
            Humidity = Keep(chip.Humidity),
        };
        return selected is { Temperatures: null, Fans: null, Voltages: null, Power: null, Currents: null, Humidity: null } ? null : selected;
    }
}
