using Psistats.Agent.Cgminer;
using Psistats.Agent.Configuration;
using Psistats.Agent.Reporters;

namespace Psistats.Agent.Scheduling;

/// <summary>Builds what the scheduler runs from the options: the enabled reporters, through their <see cref="ReporterDefinition"/>s, then the enabled miners.</summary>
public static class ReporterFactory
{
    /// <summary>
    /// The enabled reporters with their intervals, in <see cref="ReporterCatalog"/> order, then one <c>cgminer</c> poller
    /// per enabled <c>[cgminer:NAME]</c> section (key <c>cgminer:NAME</c>, frames carrying the miner's hostname).
    /// </summary>
    /// <param name="options">The agent's options.</param>
    /// <param name="time">The clock of the miners' connect and read timeouts.</param>
    public static IReadOnlyList<ScheduledReporter> Create(AgentOptions options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        var definitions = ReporterCatalog.All.ToDictionary(d => d.Name, StringComparer.Ordinal);
        var reporters = options.Reporters
            .Where(r => r.Enabled)
            .Select(r => new ScheduledReporter(definitions[r.Name].Create(options.Paths, r.Settings), r.Interval));
        var miners = options.Miners
            .Where(m => m.Enabled)
            .Select(m => new ScheduledReporter(new CgminerReporter(m, time), m.Interval) { Key = m.SectionName, Hostname = m.Hostname });
        return reporters.Concat(miners).ToList();
    }
}
