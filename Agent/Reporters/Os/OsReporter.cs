using Psistats.Agent.Configuration;
using Psistats.Contracts.Frames;

namespace Psistats.Agent.Reporters.Os;

/// <summary>Reporter <c>os</c> (being written: issue 3).</summary>
public sealed class OsReporter(HostPaths paths) : IReporter
{
    /// <inheritdoc />
    public string Name => OsFrame.Name;

    /// <inheritdoc />
    public ReporterReading Read() => ReporterReading.NoData($"not written yet (reads under {paths.Proc})");
}
