using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Psistats.Aggregator.Consuming;
using Psistats.Aggregator.Pipeline;

namespace Psistats.Aggregator.State;

/// <summary>
/// Runs <see cref="AlertPipeline.Tick"/> every second on the aggregator's clock: which hosts have been silent longer than
/// down_after (not while the consumer is not consuming, see <see cref="BlindSpot"/>), which reporters are stale, the batched
/// host save and event pruning. A failing tick is logged and counted (<see cref="Failures"/>, /healthz), never the end of the loop.
/// </summary>
public sealed class DownDetector(AlertPipeline pipeline, ConsumerStats consumer, TimeProvider time, ILogger<DownDetector> logger)
    : BackgroundService
{
    /// <summary>How often hosts are checked.</summary>
    public static readonly TimeSpan Period = TimeSpan.FromSeconds(1);

    private long _failures;

    /// <summary>Ticks that failed with an unexpected error since start (each logged; the next tick runs as usual).</summary>
    public long Failures => Interlocked.Read(ref _failures);

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Period, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                try
                {
                    pipeline.Tick(time.GetUtcNow(), consumer.Connected, consumer.ConnectedOnce);
                }
                catch (SqliteException ex)
                {
                    // Logged as an error: the changes of this tick are in memory (and the API) but not in the history.
                    PipelineLog.WriteFailed(logger, ex, ex.Message);
                }
                catch (Exception ex) when (ex is not OutOfMemoryException)
                {
                    // One bad value must not end DOWN detection for every host: count, log, and tick again next second.
                    Interlocked.Increment(ref _failures);
                    PipelineLog.TickFailed(logger, ex, ex.Message, Failures);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }
}
