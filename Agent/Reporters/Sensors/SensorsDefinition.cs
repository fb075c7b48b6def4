using Psistats.Agent.Configuration;
using Psistats.Contracts.Configuration;
using Psistats.Contracts.Frames;

namespace Psistats.Agent.Reporters.Sensors;

/// <summary>
/// Section <c>[sensors]</c>: enabled (default yes: a host without sensors is "no data", not an error), interval (default 10 s),
/// and <c>devices</c>, psistats' filter of <c>(LABEL, chip.feature)</c> entries (syntax in <see cref="SensorSelector.ParseList"/>).
/// psistats wrote one <c>devices[]</c> key over several lines; the INI reader used here rejects both continuation lines and
/// repeated keys, so the entries go on one <c>devices</c> line.
/// </summary>
public sealed class SensorsDefinition : ReporterDefinition
{
    /// <summary>The filter key.</summary>
    public const string DevicesKey = "devices";

    /// <inheritdoc />
    public override string Name => SensorsFrame.Name;

    /// <inheritdoc />
    public override TimeSpan DefaultInterval => TimeSpan.FromSeconds(10);

    /// <inheritdoc />
    public override IReadOnlyList<string> SettingKeys => [DevicesKey];

    /// <inheritdoc />
    public override object? ReadSettings(SettingsReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        if (reader.GetRaw(Name, DevicesKey) is not { } raw)
        {
            return new SensorsSettings([]);
        }

        var (selectors, error) = SensorSelector.ParseList(raw);
        if (error is not null)
        {
            reader.AddError(Name, DevicesKey, $"{error}; expected (LABEL, chip.feature) entries on one line, e.g. (CPU, coretemp.temp1) (Case fan, nct6775.fan2)");
        }

        return new SensorsSettings(selectors);
    }

    /// <inheritdoc />
    public override IReporter Create(HostPaths paths, object? settings) =>
        new SensorsReporter(paths, settings as SensorsSettings ?? new SensorsSettings([]));
}
