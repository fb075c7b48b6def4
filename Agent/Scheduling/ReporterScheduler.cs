using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Psistats.Agent.Configuration;
using Psistats.Agent.Reporters;
using Psistats.Contracts.Frames;

namespace Psistats.Agent.Scheduling;

/// <summary>A reporter with the interval it runs at.</summary>
public sealed record ScheduledReporter(IReporter Reporter, TimeSpan Interval);

/// <summary>
/// Runs every enabled reporter on its own timer (first reading at start, then every interval, on the
/// injected <see cref="TimeProvider"/>), stamps each frame's envelope and hands it to the sink.
/// A reporter that throws or has no data is counted and logged once per change of state; it never
/// stops the others or the agent.
/// </summary>
public sealed class ReporterScheduler(
    IReadOnlyList<ScheduledReporter> reporters,
    IFrameSink sink,
    AgentOptions options,
    TimeProvider time,
    ILogger<ReporterScheduler> logger) : BackgroundService
{
    private readonly Dictionary<string, ReporterHealth> _health = reporters.ToDictionary(r => r.Reporter.Name, r => new ReporterHealth(r.Reporter.Name));

    /// <summary>Health of each reporter, by name.</summary>
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
                RunOnce(scheduled);
            }
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    /// <summary>One reading of one reporter: never throws.</summary>
    /// <returns>The reading's status, or null when the reporter threw.</returns>
    internal ReadingStatus? RunOnce(ScheduledReporter scheduled)
    {
        var reporter = scheduled.Reporter;
        var health = _health[reporter.Name];
        try
        {
            var reading = reporter.Read();
            if (reading.Frame is not null)
            {
                sink.Add(reading.Frame with
                {
                    Hostname = options.Hostname,
                    Timestamp = Frame.ToUnixSeconds(time.GetUtcNow()),
                    Interval = scheduled.Interval.TotalSeconds,
                });
            }

            var state = reading.Status == ReadingStatus.NoData ? ReporterState.NoData : ReporterState.Ok;
            if (health.Record(state, reading.Frame is not null))
            {
                if (state == ReporterState.NoData)
                {
                    Log.ReporterNoData(logger, reporter.Name, reading.Detail);
                }
                else
                {
                    Log.ReporterOk(logger, reporter.Name, scheduled.Interval.TotalSeconds);
                }
            }

            return reading.Status;
        }
        catch (Exception ex)
        {
            if (health.Record(ReporterState.Failed, producedFrame: false))
            {
                Log.ReporterFailed(logger, ex, reporter.Name, health.Failures);
            }

            return null;
        }
    }
}
