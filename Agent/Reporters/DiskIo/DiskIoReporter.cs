using Psistats.Agent.Configuration;
using Psistats.Contracts.Frames;

namespace Psistats.Agent.Reporters.DiskIo;

/// <summary>Reporter <c>diskio</c> (being written: issue 3).</summary>
public sealed class DiskIoReporter(HostPaths paths) : IReporter
{
    /// <inheritdoc />
    public string Name => DiskIoFrame.Name;

    /// <inheritdoc />
    public ReporterReading Read() => ReporterReading.NoData($"not written yet (reads under {paths.Proc})");
}
