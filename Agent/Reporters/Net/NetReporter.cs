using Psistats.Agent.Configuration;
using Psistats.Contracts.Frames;

namespace Psistats.Agent.Reporters.Net;

/// <summary>Reporter <c>net</c> (being written: issue 3).</summary>
public sealed class NetReporter(HostPaths paths) : IReporter
{
    /// <inheritdoc />
    public string Name => NetFrame.Name;

    /// <inheritdoc />
    public ReporterReading Read() => ReporterReading.NoData($"not written yet (reads under {paths.Proc})");
}
