using Psistats.Agent.Configuration;
using Psistats.Contracts.Frames;

namespace Psistats.Agent.Reporters.IpAddr;

/// <summary>Section <c>[ipaddr]</c>: enabled, interval (default 120 s).</summary>
public sealed class IpAddrDefinition : ReporterDefinition
{
    /// <inheritdoc />
    public override string Name => IpAddrFrame.Name;

    /// <inheritdoc />
    public override TimeSpan DefaultInterval => TimeSpan.FromSeconds(120);

    /// <inheritdoc />
    public override IReporter Create(HostPaths paths, object? settings) => new IpAddrReporter();
}
