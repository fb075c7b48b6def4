using Psistats.Agent.Configuration;
using Psistats.Contracts.Frames;

namespace Psistats.Agent.Reporters.Load;

/// <summary>Reporter <c>load</c> (being written: issue 3).</summary>
public sealed class LoadReporter(HostPaths paths) : IReporter
{
    /// <inheritdoc />
    public string Name => LoadFrame.Name;

    /// <inheritdoc />
    public ReporterReading Read() => ReporterReading.NoData($"not written yet (reads under {paths.Proc})");
}
