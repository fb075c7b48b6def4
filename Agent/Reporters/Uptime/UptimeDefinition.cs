using Psistats.Agent.Configuration;
using Psistats.Contracts.Frames;

namespace Psistats.Agent.Reporters.Uptime;

/// <summary>Section <c>[uptime]</c>: enabled, interval (default 60 s).</summary>
public sealed class UptimeDefinition : ReporterDefinition
{
    /// <inheritdoc />
    public override string Name => UptimeFrame.Name;

    /// <inheritdoc />
    public override TimeSpan DefaultInterval => TimeSpan.FromSeconds(60);

    /// <inheritdoc />
    public override IReporter Create(HostPaths paths, object? settings) => new UptimeReporter(paths);
}
