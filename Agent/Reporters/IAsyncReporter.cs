namespace Psistats.Agent.Reporters;

/// <summary>
/// A reporter that waits on something outside this host, such as a miner's API over TCP (proxy mode,
/// <c>Agent/Cgminer/</c>). It reads asynchronously, so that a slow or dead source holds no thread and delays no other
/// reporter or source; otherwise it follows the <see cref="IReporter"/> contract. A source that does not answer is
/// not an exception: the reading is <see cref="ReadingStatus.Failed"/> with a frame that says so. The scheduler runs
/// host reporters through the same interface (<see cref="Scheduling.ScheduledReporter"/>).
/// </summary>
public interface IAsyncReporter
{
    /// <summary>Reporter name (the frame's <c>reporter</c>), e.g. <c>cgminer</c>.</summary>
    string Name { get; }

    /// <summary>Reads the source once. The returned frame's envelope (hostname, timestamp, interval) is filled by the caller.</summary>
    /// <exception cref="OperationCanceledException">Only when <paramref name="cancellationToken"/> is cancelled (the agent stops).</exception>
    ValueTask<ReporterReading> ReadAsync(CancellationToken cancellationToken);
}
