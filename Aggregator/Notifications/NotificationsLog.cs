using Microsoft.Extensions.Logging;

namespace Psistats.Aggregator.Notifications;

/// <summary>Every log message of the notifications (EventIds 200-299), source-generated.</summary>
internal static partial class NotificationsLog
{
    [LoggerMessage(200, LogLevel.Information, "Sent {Kind} via {Notifier} (outbox {Ids}): {Subject}")]
    public static partial void Sent(ILogger logger, string kind, string notifier, string ids, string subject);

    [LoggerMessage(201, LogLevel.Warning, "Notifier {Notifier} failing: {Error}; the notifications stay in the outbox and are retried with backoff (next attempt at {NextAttempt:O})")]
    public static partial void NotifierFailing(ILogger logger, string notifier, string error, DateTimeOffset nextAttempt);

    [LoggerMessage(202, LogLevel.Information, "Notifier {Notifier} delivering again after {FailedAttempts} failed attempts")]
    public static partial void NotifierRecovered(ILogger logger, string notifier, int failedAttempts);

    [LoggerMessage(203, LogLevel.Error, "Sending notifications failed unexpectedly; retrying at the next tick")]
    public static partial void DispatchFailed(ILogger logger, Exception exception);

    [LoggerMessage(204, LogLevel.Error, "Checking firing alerts for repeats failed unexpectedly; retrying at the next tick")]
    public static partial void RepeatCheckFailed(ILogger logger, Exception exception);

    [LoggerMessage(205, LogLevel.Information, "{Count} firing alert(s) notified again (repeat interval, or a silence or hold ended)")]
    public static partial void Repeated(ILogger logger, int count);

    [LoggerMessage(206, LogLevel.Information, "{Count} silence(s) expired")]
    public static partial void SilencesExpired(ILogger logger, int count);
}
