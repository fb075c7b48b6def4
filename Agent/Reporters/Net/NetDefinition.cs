using Psistats.Agent.Configuration;
using Psistats.Contracts.Configuration;
using Psistats.Contracts.Frames;

namespace Psistats.Agent.Reporters.Net;

/// <summary>
/// Section <c>[net]</c>: enabled (default yes), interval (default 5 s) and <c>ignore</c> (interface name patterns,
/// default <c>lo</c>).
/// </summary>
public sealed class NetDefinition : ReporterDefinition
{
    /// <inheritdoc />
    public override string Name => NetFrame.Name;

    /// <inheritdoc />
    public override TimeSpan DefaultInterval => TimeSpan.FromSeconds(5);

    /// <inheritdoc />
    public override IReadOnlyList<string> SettingKeys => ["ignore"];

    /// <inheritdoc />
    public override object? ReadSettings(SettingsReader reader) => new NetSettings(NamePatterns.Read(reader, Name, "ignore", NetSettings.DefaultIgnore));

    /// <inheritdoc />
    public override IReporter Create(HostPaths paths, object? settings) => new NetReporter(paths, settings as NetSettings ?? NetSettings.Default);
}
