using Psistats.Agent.Configuration;
using Psistats.Contracts.Frames;

namespace Psistats.Agent.Reporters.HddSpace;

/// <summary>Reporter <c>hddspace</c> (being written: issue 3).</summary>
public sealed class HddSpaceReporter(HostPaths paths) : IReporter
{
    /// <inheritdoc />
    public string Name => HddSpaceFrame.Name;

    /// <inheritdoc />
    public ReporterReading Read() => ReporterReading.NoData($"not written yet (reads under {paths.Proc})");
}
