using Psistats.Agent.Configuration;
using Psistats.Contracts.Frames;

namespace Psistats.Agent.Reporters.Net;

/// <summary>Section <c>[net]</c>: enabled, interval (default 5 s).</summary>
public sealed class NetDefinition : ReporterDefinition
{
    /// <inheritdoc />
    public override string Name => NetFrame.Name;

    /// <inheritdoc />
    public override TimeSpan DefaultInterval => TimeSpan.FromSeconds(5);

    /// <inheritdoc />
    public override bool EnabledByDefault => false;

    /// <inheritdoc />
    public override IReporter Create(HostPaths paths, object? settings) => new NetReporter(paths);
}
