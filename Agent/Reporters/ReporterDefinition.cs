using Psistats.Agent.Configuration;
using Psistats.Contracts.Configuration;

namespace Psistats.Agent.Reporters;

/// <summary>
/// How a reporter plugs into the agent: its name (ini section and frame <c>reporter</c>), default interval,
/// the extra keys of its section beyond <c>enabled</c> and <c>interval</c>, how those are read and validated,
/// and how the reporter is built. Each reporter folder has one; <see cref="ReporterCatalog"/> lists them.
/// </summary>
public abstract class ReporterDefinition
{
    /// <summary>Reporter name, e.g. <c>cpu</c>.</summary>
    public abstract string Name { get; }

    /// <summary>Interval when the ini does not set one.</summary>
    public abstract TimeSpan DefaultInterval { get; }

    /// <summary>Whether the reporter runs when the ini does not say.</summary>
    public virtual bool EnabledByDefault => true;

    /// <summary>Keys of the section beyond <c>enabled</c> and <c>interval</c>.</summary>
    public virtual IReadOnlyList<string> SettingKeys => [];

    /// <summary>Reads and validates the extra keys (problems go to <paramref name="reader"/>); null when there are none.</summary>
    public virtual object? ReadSettings(SettingsReader reader) => null;

    /// <summary>Builds the reporter.</summary>
    /// <param name="paths">Host roots (/proc, /sys, rootfs).</param>
    /// <param name="settings">What <see cref="ReadSettings"/> returned.</param>
    public abstract IReporter Create(HostPaths paths, object? settings);
}
