using Psistats.Agent.Configuration;
using Psistats.Contracts.Frames;

namespace Psistats.Agent.Reporters.Sensors;

/// <summary>Reporter <c>sensors</c> (being written: issue 3).</summary>
public sealed class SensorsReporter(HostPaths paths) : IReporter
{
    /// <inheritdoc />
    public string Name => SensorsFrame.Name;

    /// <inheritdoc />
    public ReporterReading Read() => ReporterReading.NoData($"not written yet (reads under {paths.Proc})");
}
