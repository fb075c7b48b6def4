using Psistats.Agent.Configuration;
using Psistats.Contracts.Frames;

namespace Psistats.Agent.Reporters.Sensors;

/// <summary>Section <c>[sensors]</c>: enabled, interval (default 10 s).</summary>
public sealed class SensorsDefinition : ReporterDefinition
{
    /// <inheritdoc />
    public override string Name => SensorsFrame.Name;

    /// <inheritdoc />
    public override TimeSpan DefaultInterval => TimeSpan.FromSeconds(10);

    /// <inheritdoc />
    public override bool EnabledByDefault => false;

    /// <inheritdoc />
    public override IReporter Create(HostPaths paths, object? settings) => new SensorsReporter(paths);
}
