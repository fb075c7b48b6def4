using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Psistats.Agent.Configuration;
using Psistats.Agent.Reporters;
using Psistats.Contracts.Frames;

namespace Psistats.Agent.Scheduling;

/// <summary>
/// Runs every enabled reporter and every polled miner on its own timer (first reading at start, then every
/// interval, on the injected <see cref="TimeProvider"/>), stamps each frame's envelope and hands it to the sink.
/// Readings are awaited, each unit in its own loop, so a miner that answers slowly or not at all delays only its own
/// next poll. A unit that throws, has no data or whose source fails is counted and logged once per change of state;
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

    /// <inheritdoc />
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(reporters.Select(r => Task.Run(() => RunLoopAsync(r, stoppingToken), CancellationToken.None)));

    private async Task RunLoopAsync(ScheduledReporter scheduled, CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(scheduled.Interval, time);
        try
        {
            do
            {
                await RunOnceAsync(scheduled, stoppingToken).ConfigureAwait(false);
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
    /// <returns>The reading's status, or null when the reporter threw.</returns>
    internal async ValueTask<ReadingStatus?> RunOnceAsync(ScheduledReporter scheduled, CancellationToken cancellationToken)
    {
        var health = _health[scheduled.Key];
        try
        {
            var reading = await scheduled.Reporter.ReadAsync(cancellationToken).ConfigureAwait(false);
            if (reading.Frame is not null)
            {
                sink.Add(reading.Frame with
                {
                    Hostname = scheduled.Hostname ?? options.Hostname,
                    Timestamp = Frame.ToUnixSeconds(time.GetUtcNow()),
                    Interval = scheduled.Interval.TotalSeconds,
                });
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
