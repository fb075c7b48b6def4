using Psistats.Agent.Configuration;
using Psistats.Contracts.Frames;

namespace Psistats.Agent.Reporters.Os;

/// <summary>
/// Section <c>[os]</c>: enabled (default yes, as psistats), interval (default 600 s). The values change only with a
/// reboot or a distribution upgrade, and the first frame goes out at start; the interval only bounds how long an
/// aggregator started later (its state is in memory) waits to learn a host's system, and how soon an upgrade without
/// reboot shows. psistats sent it every 60 s; 10 minutes costs less and keeps the frame fresh against
/// <c>[aggregator] stale_factor</c>.
/// </summary>
public sealed class OsDefinition : ReporterDefinition
{
    /// <inheritdoc />
    public override string Name => OsFrame.Name;

    /// <inheritdoc />
    public override TimeSpan DefaultInterval => TimeSpan.FromSeconds(600);

    /// <inheritdoc />
    public override IReporter Create(HostPaths paths, object? settings) => new OsReporter(paths);
}
