using Psistats.Agent.Configuration;
using Psistats.Contracts.Frames;

namespace Psistats.Agent.Reporters.HddTemp;

/// <summary>Section <c>[hddtemp]</c>: enabled, interval (default 30 s).</summary>
public sealed class HddTempDefinition : ReporterDefinition
{
    /// <inheritdoc />
    public override string Name => HddTempFrame.Name;

    /// <inheritdoc />
    public override TimeSpan DefaultInterval => TimeSpan.FromSeconds(30);

    /// <inheritdoc />
    public override bool EnabledByDefault => false;

    /// <inheritdoc />
    public override IReporter Create(HostPaths paths, object? settings) => new HddTempReporter(paths);
}
