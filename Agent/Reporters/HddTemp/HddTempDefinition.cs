using System.Globalization;
using Psistats.Agent.Configuration;
using Psistats.Contracts.Configuration;
using Psistats.Contracts.Frames;

namespace Psistats.Agent.Reporters.HddTemp;

/// <summary>
/// Section <c>[hddtemp]</c>: enabled (default yes: a host without disk temperatures is "no data", not an error), interval
/// (default 30 s), <c>smartctl</c> (<c>auto</c>, <c>no</c> or an absolute path; default auto) and <c>smartctl_timeout</c>
/// (seconds, default 10). psistats' <c>hostname</c> and <c>port</c> (the hddtemp daemon) are gone: no daemon is needed.
/// </summary>
public sealed class HddTempDefinition : ReporterDefinition
{
    /// <summary>Key choosing the smartctl fallback.</summary>
    public const string SmartctlKey = "smartctl";

    /// <summary>Key bounding one smartctl run.</summary>
    public const string SmartctlTimeoutKey = "smartctl_timeout";

    /// <inheritdoc />
    public override string Name => HddTempFrame.Name;

    /// <inheritdoc />
    public override TimeSpan DefaultInterval => TimeSpan.FromSeconds(30);

    /// <inheritdoc />
    public override IReadOnlyList<string> SettingKeys => [SmartctlKey, SmartctlTimeoutKey];

    /// <inheritdoc />
    public override object? ReadSettings(SettingsReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var smartctl = HddTempSettings.Auto;
        switch (reader.GetRaw(Name, SmartctlKey))
        {
            case null:
                break;
            case var raw when raw.ToLowerInvariant() is "auto" or "yes" or "true" or "on" or "1":
                break;
            case var raw when raw.ToLowerInvariant() is "no" or "false" or "off" or "0":
                smartctl = HddTempSettings.Off;
                break;
            case var raw when !Path.IsPathRooted(raw):
                reader.AddError(Name, SmartctlKey, $"'{raw}' is not auto, no or an absolute path");
                break;
            case var raw when !File.Exists(raw):
                reader.AddError(Name, SmartctlKey, $"{raw} does not exist");
                break;
            case var raw:
                smartctl = raw;
                break;
        }

        var timeout = reader.GetSeconds(Name, SmartctlTimeoutKey, 10, 1, 300);

        // The interval itself is validated (and reported) with enabled/interval by AgentOptions; only its value is needed here.
        var interval = double.TryParse(reader.GetRaw(Name, "interval"), NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds)
            && double.IsFinite(seconds) && seconds > 0
                ? TimeSpan.FromSeconds(seconds)
                : DefaultInterval;
        return new HddTempSettings(smartctl, timeout, interval);
    }

    /// <inheritdoc />
    public override IReporter Create(HostPaths paths, object? settings)
    {
        var s = settings as HddTempSettings ?? new HddTempSettings(HddTempSettings.Auto, TimeSpan.FromSeconds(10), DefaultInterval);
        var executable = s.Smartctl switch
        {
            HddTempSettings.Off => null,
            HddTempSettings.Auto => SmartctlProcess.Locate(Environment.GetEnvironmentVariable("PATH")),
            var path => path,
        };
        return new HddTempReporter(paths, executable is null ? null : new SmartctlProcess(executable, s.SmartctlTimeout), s.Interval, TimeProvider.System);
    }
}
