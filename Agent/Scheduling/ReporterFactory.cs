using Psistats.Agent.Configuration;
using Psistats.Agent.Reporters;
using Psistats.Agent.Reporters.Cpu;
using Psistats.Agent.Reporters.CpuTemp;
using Psistats.Agent.Reporters.IpAddr;
using Psistats.Agent.Reporters.Mem;
using Psistats.Agent.Reporters.Uptime;
using Psistats.Contracts.Frames;

namespace Psistats.Agent.Scheduling;

/// <summary>Builds the enabled reporters from the options: the one place that maps a section name to its reporter.</summary>
public static class ReporterFactory
{
    /// <summary>The enabled reporters with their intervals, in psistats.ini order.</summary>
    public static IReadOnlyList<ScheduledReporter> Create(AgentOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.Reporters
            .Where(r => r.Enabled)
            .Select(r => new ScheduledReporter(Create(r.Name, options.Paths), r.Interval))
            .ToList();
    }

    private static IReporter Create(string name, HostPaths paths) => name switch
    {
        CpuFrame.Name => new CpuReporter(paths),
        MemFrame.Name => new MemReporter(paths),
        UptimeFrame.Name => new UptimeReporter(paths),
        IpAddrFrame.Name => new IpAddrReporter(),
        CpuTempFrame.Name => new CpuTempReporter(paths),
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "no such reporter"),
    };
}
