using Psistats.Agent.Reporters;

namespace Psistats.Agent.Scheduling;

/// <summary>
/// One unit the scheduler runs on its own timer: a host reporter, or a source read over the network such as a
/// miner (<c>[cgminer:NAME]</c>). Both are read through <see cref="IAsyncReporter"/>; a host reporter's synchronous
/// <see cref="IReporter.Read"/> runs inline.
/// </summary>
/// <param name="Reporter">What is read.</param>
/// <param name="Interval">Time between two readings.</param>
public sealed record ScheduledReporter(IAsyncReporter Reporter, TimeSpan Interval)
{
    /// <summary>A host reporter, read synchronously, whose frames carry the agent's hostname.</summary>
    public ScheduledReporter(IReporter reporter, TimeSpan interval)
        : this(new Synchronous(reporter ?? throw new ArgumentNullException(nameof(reporter))), interval)
    {
    }

    /// <summary>Its name in health counters and logs, unique per agent: the reporter name, or <c>cgminer:NAME</c> for a miner.</summary>
    public string Key { get; init; } = Reporter.Name;

    /// <summary>True for a host reporter (read synchronously from /proc, /sys): such units may share a timer.</summary>
    public bool IsHostReporter => Reporter is Synchronous;

    /// <summary>The hostname its frames carry; null for the agent's own (<c>[app] hostname</c>). A miner's frames carry the miner's name.</summary>
    public string? Hostname { get; init; }

    private sealed class Synchronous(IReporter reporter) : IAsyncReporter
    {
        public string Name => reporter.Name;

        public ValueTask<ReporterReading> ReadAsync(CancellationToken cancellationToken) => ValueTask.FromResult(reporter.Read());
    }
}
