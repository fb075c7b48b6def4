using Psistats.Agent.Configuration;
using Psistats.Contracts.Frames;

namespace Psistats.Agent.Reporters.HddTemp;

/// <summary>Reporter <c>hddtemp</c> (being written: issue 3).</summary>
public sealed class HddTempReporter(HostPaths paths) : IReporter
{
    /// <inheritdoc />
    public string Name => HddTempFrame.Name;

    /// <inheritdoc />
    public ReporterReading Read() => ReporterReading.NoData($"not written yet (reads under {paths.Proc})");
}
