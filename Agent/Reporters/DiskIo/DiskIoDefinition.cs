using Psistats.Agent.Configuration;
using Psistats.Contracts.Frames;

namespace Psistats.Agent.Reporters.DiskIo;

/// <summary>Section <c>[diskio]</c>: enabled, interval (default 5 s).</summary>
public sealed class DiskIoDefinition : ReporterDefinition
{
    /// <inheritdoc />
    public override string Name => DiskIoFrame.Name;

    /// <inheritdoc />
    public override TimeSpan DefaultInterval => TimeSpan.FromSeconds(5);

    /// <inheritdoc />
    public override bool EnabledByDefault => false;

    /// <inheritdoc />
    public override IReporter Create(HostPaths paths, object? settings) => new DiskIoReporter(paths);
}
