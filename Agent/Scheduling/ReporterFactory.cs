using Psistats.Agent.Configuration;
using Psistats.Agent.Reporters;

namespace Psistats.Agent.Scheduling;

/// <summary>Builds the enabled reporters from the options, through their <see cref="ReporterDefinition"/>s.</summary>
public static class ReporterFactory
{
    /// <summary>The enabled reporters with their intervals, in <see cref="ReporterCatalog"/> order.</summary>
    public static IReadOnlyList<ScheduledReporter> Create(AgentOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var definitions = ReporterCatalog.All.ToDictionary(d => d.Name, StringComparer.Ordinal);
        return options.Reporters
            .Where(r => r.Enabled)
            .Select(r => new ScheduledReporter(definitions[r.Name].Create(options.Paths, r.Settings), r.Interval))
            .ToList();
    }
}
