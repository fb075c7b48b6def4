using Psistats.Agent.Configuration;
using Psistats.Contracts.Frames;

namespace Psistats.Agent.Reporters.Load;

/// <summary>
/// Section <c>[load]</c>: enabled (default yes), interval (default 5 s: the kernel recomputes the load averages every
/// 5 seconds, LOAD_FREQ, so reading more often repeats the same values).
/// </summary>
public sealed class LoadDefinition : ReporterDefinition
{
    /// <inheritdoc />
    public override string Name => LoadFrame.Name;

    /// <inheritdoc />
    public override TimeSpan DefaultInterval => TimeSpan.FromSeconds(5);

    /// <inheritdoc />
    public override IReporter Create(HostPaths paths, object? settings) => new LoadReporter(paths);
}
