using System.Text.RegularExpressions;
using Psistats.Agent.Configuration;
using Psistats.Contracts.Configuration;
using Psistats.Contracts.Frames;

namespace Psistats.Agent.Reporters.HddSpace;

/// <summary>
/// Section <c>[hddspace]</c>: enabled (default yes, as psistats), interval (default 60 s, psistats' value: disks fill in
/// minutes, not seconds), <c>skip_types</c>, <c>include_remote</c>, <c>statvfs_timeout</c> (see <see cref="HddSpaceSettings"/>).
/// </summary>
public sealed partial class HddSpaceDefinition : ReporterDefinition
{
    /// <inheritdoc />
    public override string Name => HddSpaceFrame.Name;

    /// <inheritdoc />
    public override TimeSpan DefaultInterval => TimeSpan.FromSeconds(60);

    /// <inheritdoc />
    public override IReadOnlyList<string> SettingKeys => ["skip_types", "include_remote", "statvfs_timeout"];

    /// <inheritdoc />
    public override object? ReadSettings(SettingsReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var defaults = new HddSpaceSettings();
        var skipTypes = defaults.SkipTypes;
        if (reader.GetRaw(Name, "skip_types") is { } raw)
        {
            var types = raw.Split([' ', ',', '\t'], StringSplitOptions.RemoveEmptyEntries);
            var bad = types.Where(t => !FsTypeName().IsMatch(t)).ToList();
            if (bad.Count > 0)
            {
                reader.AddError(Name, "skip_types", $"'{string.Join("', '", bad)}' is not a filesystem type name (letters, digits, '.', '_', '-')");
            }
            else
            {
                skipTypes = types.ToHashSet(StringComparer.Ordinal);
            }
        }

        return new HddSpaceSettings
        {
            SkipTypes = skipTypes,
            IncludeRemote = reader.GetBool(Name, "include_remote", defaults.IncludeRemote),
            StatVfsTimeout = reader.GetSeconds(Name, "statvfs_timeout", defaults.StatVfsTimeout.TotalSeconds, 0.1, 60),
        };
    }

    /// <inheritdoc />
    public override IReporter Create(HostPaths paths, object? settings) =>
        new HddSpaceReporter(paths, settings as HddSpaceSettings ?? new HddSpaceSettings(), NativeStatVfs.Get);

    [GeneratedRegex("^[A-Za-z0-9._-]+$")]
    private static partial Regex FsTypeName();
}
