using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Psistats.Aggregator.Rules;

namespace Psistats.Aggregator.Notifications;

/// <summary>
/// Every <see cref="Period"/> on the aggregator's clock: ends expired silences, then asks the policy to notify the firing alerts
/// that are due (<see cref="NotificationPolicy.EnqueueDue"/>: a <c>repeat</c> after <c>repeat_interval</c>, a late <c>firing</c>
/// once a silence or hold is over). No email every poll: an alert still firing is re-sent at most once per repeat interval.
/// </summary>
/// <param name="policy">The notification policy.</param>
/// <param name="silences">Silences, to end expired ones.</param>
/// <param name="activeAlerts">The engine's pending and firing alerts now.</param>
/// <param name="notifiersOf">A rule's <c>notifiers</c> (null = all, empty = none).</param>
/// <param name="time">The aggregator's clock.</param>
/// <param name="logger">Where repeats and failures are logged.</param>
public sealed class RepeatScheduler(NotificationPolicy policy, SilenceStore silences, Func<IReadOnlyList<ActiveAlert>> activeAlerts,
    Func<string, IReadOnlyList<string>?> notifiersOf, TimeProvider time, ILogger<RepeatScheduler> logger) : BackgroundService
{
    /// <summary>How often firing alerts are checked.</summary>
    public static readonly TimeSpan Period = TimeSpan.FromSeconds(5);

    /// <summary>One check: ends expired silences, queues due notifications; returns the number of alerts notified.</summary>
    public int CheckOnce()
    {
        var now = time.GetUtcNow();
        var expired = silences.EndExpired(now);
        if (expired > 0)
        {
            NotificationsLog.SilencesExpired(logger, expired);
        }

        var count = policy.EnqueueDue(activeAlerts(), notifiersOf, now);
        if (count > 0)
        {
            NotificationsLog.Repeated(logger, count);
        }

        return count;
    }

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
                    CheckOnce();
                }
                catch (Exception ex) when (ex is not OutOfMemoryException)
                {
                    NotificationsLog.RepeatCheckFailed(logger, ex);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }
}
