using Microsoft.Extensions.Logging;

namespace Psistats.Aggregator;

/// <summary>Every log message of the aggregator, source-generated.</summary>
internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Information, "Consuming {Queue} (bound to {Binding} on {Exchange}, prefetch {Prefetch}) at {Url}")]
    public static partial void Consuming(ILogger logger, string queue, string binding, string exchange, int prefetch, string url);

    [LoggerMessage(2, LogLevel.Warning, "Broker {Url} unreachable ({Reason}); retrying every {RetrySeconds} s")]
    public static partial void BrokerUnreachable(ILogger logger, string url, string reason, double retrySeconds);

    [LoggerMessage(3, LogLevel.Warning, "Connection to the broker lost ({Reason}); reconnecting")]
    public static partial void ConnectionLost(ILogger logger, string reason);

    [LoggerMessage(4, LogLevel.Warning, "Rejected a frame to {DeadLetterExchange}: {Reason}: {Detail} (routing key {RoutingKey}; {Count} rejected for this reason since start)")]
    public static partial void Rejected(ILogger logger, string deadLetterExchange, string reason, string? detail, string routingKey, long count);

    [LoggerMessage(5, LogLevel.Error, "Failed to process a frame (routing key {RoutingKey}); rejected it to the dead-letter exchange")]
    public static partial void ProcessingFailed(ILogger logger, Exception exception, string routingKey);

    [LoggerMessage(6, LogLevel.Information, "UP {Host}: {Message}")]
    public static partial void HostUp(ILogger logger, string host, string message);

    [LoggerMessage(7, LogLevel.Warning, "DOWN {Host}: {Message}")]
    public static partial void HostDown(ILogger logger, string host, string message);

    [LoggerMessage(8, LogLevel.Information, "psistats-aggregator {Version} starting (config {ConfigPath}); HTTP API on {Listen}")]
    public static partial void Starting(ILogger logger, string version, string configPath, string listen);

    [LoggerMessage(20, LogLevel.Error, "The stored values of host {Host} cannot be served; listed without them: {Reason}")]
    public static partial void SnapshotFailed(ILogger logger, Exception exception, string host, string reason);
}
