using Psistats.Agent.Configuration;
using Psistats.Contracts.Frames;

namespace Psistats.Agent.Reporters.CpuTemp;

/// <summary>Section <c>[cpu_temp]</c>: enabled, interval (default 5 s).</summary>
public sealed class CpuTempDefinition : ReporterDefinition
{
    /// <inheritdoc />
    public override string Name => CpuTempFrame.Name;

    /// <inheritdoc />
    public override TimeSpan DefaultInterval => TimeSpan.FromSeconds(5);

    /// <inheritdoc />
    public override IReporter Create(HostPaths paths, object? settings) => new CpuTempReporter(paths);
}
