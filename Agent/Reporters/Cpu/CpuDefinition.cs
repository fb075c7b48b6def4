using Psistats.Agent.Configuration;
using Psistats.Contracts.Frames;

namespace Psistats.Agent.Reporters.Cpu;

/// <summary>Section <c>[cpu]</c>: enabled, interval (default 2 s).</summary>
public sealed class CpuDefinition : ReporterDefinition
{
    /// <inheritdoc />
    public override string Name => CpuFrame.Name;

    /// <inheritdoc />
    public override TimeSpan DefaultInterval => TimeSpan.FromSeconds(2);

    /// <inheritdoc />
    public override IReporter Create(HostPaths paths, object? settings) => new CpuReporter(paths);
}
