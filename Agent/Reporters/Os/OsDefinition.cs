using Psistats.Agent.Configuration;
using Psistats.Contracts.Frames;

namespace Psistats.Agent.Reporters.Os;

/// <summary>Section <c>[os]</c>: enabled, interval (default 600 s).</summary>
public sealed class OsDefinition : ReporterDefinition
{
    /// <inheritdoc />
    public override string Name => OsFrame.Name;

    /// <inheritdoc />
    public override TimeSpan DefaultInterval => TimeSpan.FromSeconds(600);

    /// <inheritdoc />
    public override bool EnabledByDefault => false;

    /// <inheritdoc />
    public override IReporter Create(HostPaths paths, object? settings) => new OsReporter(paths);
}
