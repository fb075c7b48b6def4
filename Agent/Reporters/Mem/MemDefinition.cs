using Psistats.Agent.Configuration;
using Psistats.Contracts.Frames;

namespace Psistats.Agent.Reporters.Mem;

/// <summary>Section <c>[mem]</c>: enabled, interval (default 2 s).</summary>
public sealed class MemDefinition : ReporterDefinition
{
    /// <inheritdoc />
    public override string Name => MemFrame.Name;

    /// <inheritdoc />
    public override TimeSpan DefaultInterval => TimeSpan.FromSeconds(2);

    /// <inheritdoc />
    public override IReporter Create(HostPaths paths, object? settings) => new MemReporter(paths);
}
