using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Psistats.Agent.Configuration;
using Psistats.Agent.Reporters;
using Psistats.Contracts.Frames;

namespace Psistats.Agent.Scheduling;

/// <summary>
/// Runs every enabled reporter and every polled miner on a timer (first reading at start, then every interval, on
/// the injected <see cref="TimeProvider"/>), stamps each frame's envelope and hands it to the sink. Host reporters of
/// the same interval share a timer (see <see cref="Loops"/>); each miner has its own, so a miner that answers slowly
/// or not at all delays only its own next poll. A unit that throws, has no data or whose source fails is counted and logged once per change of state;
/// it never stops the others or the agent.
/// </summary>
public sealed class ReporterScheduler(
    IReadOnlyList<ScheduledReporter> reporters,
    IFrameSink sink,
    AgentOptions options,
    TimeProvider time,
    ILogger<ReporterScheduler> logger) : BackgroundService
{
    private readonly Dictionary<string, ReporterHealth> _health = reporters.ToDictionary(r => r.Key, r => new ReporterHealth(r.Key));

    /// <summary>Health of each unit, by <see cref="ScheduledReporter.Key"/>.</summary>
    public IReadOnlyDictionary<string, ReporterHealth> Health => _health;

    /// <summary>
    /// The timer loops: host reporters that share an interval share one timer, and a tick's frames go to the sink
    /// together (one wake-up and one publish batch instead of one per reporter: measured in docs/benchmarks.md); a
    /// slow host reporter can then delay its timer-mates, by at most its own reading time. Network sources (miners)
    /// keep a timer each, so a miner that does not answer delays nothing but its own next poll.
    /// </summary>
    internal IReadOnlyList<IReadOnlyList<ScheduledReporter>> Loops { get; } =
    [
        .. reporters.Where(r => r.IsHostReporter).GroupBy(r => r.Interval).Select(g => (IReadOnlyList<ScheduledReporter>)[.. g]),
        .. reporters.Where(r => !r.IsHostReporter).Select(r => (IReadOnlyList<ScheduledReporter>)[r]),
    ];

    /// <inheritdoc />
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(Loops.Select(units => Task.Run(() => RunLoopAsync(units, stoppingToken), CancellationToken.None)));

    private async Task RunLoopAsync(IReadOnlyList<ScheduledReporter> units, CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(units[0].Interval, time);
        var frames = new List<Frame>(units.Count);
        try
        {
            do
            {
                frames.Clear();
                foreach (var unit in units)
                {
                    await RunOnceAsync(unit, stoppingToken, frames).ConfigureAwait(false);
                }

                if (frames.Count > 0)
                {
                    sink.AddRange(frames);
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    /// <summary>
    /// One reading of one unit: the one place frames get their envelope (hostname, timestamp, interval) and state
    /// changes are logged. Never throws, except <see cref="OperationCanceledException"/> when <paramref name="cancellationToken"/> is cancelled.
    /// </summary>
    /// <param name="scheduled">The unit to read.</param>
    /// <param name="cancellationToken">Stops a reading that waits (a miner poll).</param>
    /// <param name="collected">Where the frame goes when the caller hands a tick's frames over together; null: straight to the sink.</param>
    /// <returns>The reading's status, or null when the reporter threw.</returns>
    internal async ValueTask<ReadingStatus?> RunOnceAsync(ScheduledReporter scheduled, CancellationToken cancellationToken, List<Frame>? collected = null)
    {
        var health = _health[scheduled.Key];
        try
        {
            var reading = await scheduled.Reporter.ReadAsync(cancellationToken).ConfigureAwait(false);
            if (reading.Frame is not null)
            {
                var frame = reading.Frame with
                {
                    Hostname = scheduled.Hostname ?? options.Hostname,
                    Timestamp = Frame.ToUnixSeconds(time.GetUtcNow()),
                    Interval = scheduled.Interval.TotalSeconds,
                };
                if (collected is null)
                {
                    sink.Add(frame);
                }
                else
                {
                    collected.Add(frame);
                }
            }

            var state = reading.Status switch
            {
                ReadingStatus.NoData => ReporterState.NoData,
                ReadingStatus.Failed => ReporterState.Failed,
                _ => ReporterState.Ok,
            };
            if (health.Record(state, reading.Frame is not null))
            {
                switch (state)
                {
                    case ReporterState.NoData:
                        Log.ReporterNoData(logger, scheduled.Key, reading.Detail);
                        break;
                    case ReporterState.Failed:
                        Log.SourceFailed(logger, scheduled.Key, reading.Detail, health.Failures);
                        break;
                    default:
                        Log.ReporterOk(logger, scheduled.Key, scheduled.Interval.TotalSeconds);
                        break;
                }
            }

            return reading.Status;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex)
        {
            if (health.Record(ReporterState.Failed, producedFrame: false))
            {
                Log.ReporterFailed(logger, ex, scheduled.Key, health.Failures);
            }

            return null;
        }
    }
}
