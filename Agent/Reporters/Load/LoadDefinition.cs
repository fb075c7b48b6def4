using Psistats.Agent.Configuration;
using Psistats.Contracts.Frames;

namespace Psistats.Agent.Reporters.Load;

/// <summary>Section <c>[load]</c>: enabled, interval (default 5 s).</summary>
public sealed class LoadDefinition : ReporterDefinition
{
    /// <inheritdoc />
    public override string Name => LoadFrame.Name;

    /// <inheritdoc />
    public override TimeSpan DefaultInterval => TimeSpan.FromSeconds(5);

    /// <inheritdoc />
    public override bool EnabledByDefault => false;

    /// <inheritdoc />
    public override IReporter Create(HostPaths paths, object? settings) => new LoadReporter(paths);
}
