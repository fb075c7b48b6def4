using Psistats.Agent.Configuration;
using Psistats.Contracts.Frames;

namespace Psistats.Agent.Reporters.HddSpace;

/// <summary>Section <c>[hddspace]</c>: enabled, interval (default 60 s).</summary>
public sealed class HddSpaceDefinition : ReporterDefinition
{
    /// <inheritdoc />
    public override string Name => HddSpaceFrame.Name;

    /// <inheritdoc />
    public override TimeSpan DefaultInterval => TimeSpan.FromSeconds(60);

    /// <inheritdoc />
    public override bool EnabledByDefault => false;

    /// <inheritdoc />
    public override IReporter Create(HostPaths paths, object? settings) => new HddSpaceReporter(paths);
}
