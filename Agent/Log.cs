using Microsoft.Extensions.Logging;

namespace Psistats.Agent;

/// <summary>Every log message of the agent, source-generated.</summary>
internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Information, "Reporter {Reporter} is reporting (every {IntervalSeconds} s)")]
    public static partial void ReporterOk(ILogger logger, string reporter, double intervalSeconds);

    [LoggerMessage(2, LogLevel.Information, "Reporter {Reporter} has no data on this host: {Detail}")]
    public static partial void ReporterNoData(ILogger logger, string reporter, string? detail);

    [LoggerMessage(3, LogLevel.Error, "Reporter {Reporter} failed ({Failures} failures so far); it keeps running")]
    public static partial void ReporterFailed(ILogger logger, Exception exception, string reporter, long failures);

    [LoggerMessage(20, LogLevel.Warning, "Reporter {Reporter} failed: {Detail} ({Failures} failures so far); it keeps running")]
    public static partial void SourceFailed(ILogger logger, string reporter, string? detail, long failures);

    [LoggerMessage(4, LogLevel.Information, "Connected to {Url}: exchange {Exchange}, {Backlog} frames waiting in the outbox")]
    public static partial void Connected(ILogger logger, string url, string exchange, int backlog);

    [LoggerMessage(5, LogLevel.Warning, "Broker {Url} unreachable ({Reason}); retrying every {RetrySeconds} s, frames wait in the outbox")]
    public static partial void BrokerUnreachable(ILogger logger, string url, string reason, double retrySeconds);

    [LoggerMessage(6, LogLevel.Warning, "Connection to the broker lost ({Reason}); {Backlog} frames wait in the outbox")]
    public static partial void ConnectionLost(ILogger logger, string reason, int backlog);

    [LoggerMessage(7, LogLevel.Warning, "Dropped the oldest frames: {Reason}; {Dropped} dropped since start")]
    public static partial void OutboxDropped(ILogger logger, string reason, long dropped);

    [LoggerMessage(10, LogLevel.Information, "Spool {Directory}: {Waiting} frames waiting from before this start (up to {MaxBytes} bytes kept on disk)")]
    public static partial void SpoolOpened(ILogger logger, string directory, int waiting, long maxBytes);

    [LoggerMessage(11, LogLevel.Warning, "Spool {Directory}: skipped an unreadable line in {File}: {Reason}")]
    public static partial void SpoolBadLine(ILogger logger, string directory, string file, string reason);

    [LoggerMessage(8, LogLevel.Information, "Stopping: {Backlog} frames still in the outbox were not confirmed by the broker")]
    public static partial void StoppedWithBacklog(ILogger logger, int backlog);

    [LoggerMessage(9, LogLevel.Information, "psistats-agent {Version} starting as host {Hostname} (config {ConfigPath}), reporters: {Reporters}")]
    public static partial void Starting(ILogger logger, string version, string hostname, string configPath, string reporters);

    [LoggerMessage(21, LogLevel.Warning, "{Count} frames came back unroutable (first: routing key {RoutingKey}): no queue is bound to exchange {Exchange} for them yet (is the aggregator's queue declared?). They stay in the outbox; retrying in {Seconds} s")]
    public static partial void Unroutable(ILogger logger, int count, string routingKey, string exchange, double seconds);
}
