using Psistats.Agent.Configuration;
using Psistats.Contracts.Configuration;
using Psistats.Contracts.Frames;

namespace Psistats.Agent.Reporters.DiskIo;

/// <summary>
/// Section <c>[diskio]</c>: enabled (default yes: every Linux host has /proc/diskstats, and a host without it is
/// "no data"), interval (default 5 s, Diskmonitor's poll interval), <c>partitions</c> (yes/no, default no) and
/// <c>ignore</c> (device name patterns, default <c>loop* ram* zram*</c>).
/// </summary>
public sealed class DiskIoDefinition : ReporterDefinition
{
    /// <inheritdoc />
    public override string Name => DiskIoFrame.Name;

    /// <inheritdoc />
    public override TimeSpan DefaultInterval => TimeSpan.FromSeconds(5);

    /// <inheritdoc />
    public override IReadOnlyList<string> SettingKeys => ["partitions", "ignore"];

    /// <inheritdoc />
    public override object? ReadSettings(SettingsReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        return new DiskIoSettings(
            reader.GetBool(Name, "partitions", DiskIoSettings.Default.Partitions),
            NamePatterns.Read(reader, Name, "ignore", DiskIoSettings.DefaultIgnore));
    }

    /// <inheritdoc />
    public override IReporter Create(HostPaths paths, object? settings) => new DiskIoReporter(paths, settings as DiskIoSettings ?? DiskIoSettings.Default);
}
