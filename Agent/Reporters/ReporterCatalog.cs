using Psistats.Agent.Reporters.Cpu;
using Psistats.Agent.Reporters.CpuTemp;
using Psistats.Agent.Reporters.DiskIo;
using Psistats.Agent.Reporters.HddSpace;
using Psistats.Agent.Reporters.HddTemp;
using Psistats.Agent.Reporters.IpAddr;
using Psistats.Agent.Reporters.Load;
using Psistats.Agent.Reporters.Mem;
using Psistats.Agent.Reporters.Net;
using Psistats.Agent.Reporters.Os;
using Psistats.Agent.Reporters.Sensors;
using Psistats.Agent.Reporters.Uptime;

namespace Psistats.Agent.Reporters;

/// <summary>Every reporter the agent knows, in the order they run and print: the one place a reporter is registered.</summary>
public static class ReporterCatalog
{
    /// <summary>All reporter definitions.</summary>
    public static readonly IReadOnlyList<ReporterDefinition> All =
    [
        new CpuDefinition(),
        new MemDefinition(),
        new UptimeDefinition(),
        new IpAddrDefinition(),
        new CpuTempDefinition(),
        new SensorsDefinition(),
        new HddTempDefinition(),
        new DiskIoDefinition(),
        new HddSpaceDefinition(),
        new LoadDefinition(),
        new NetDefinition(),
        new OsDefinition(),
    ];
}
