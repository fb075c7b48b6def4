using System.Threading.RateLimiting;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Psistats.Aggregator.Configuration;
using Microsoft.Data.Sqlite;
using Psistats.Aggregator.Pipeline;
using Psistats.Contracts.Amqp;
using Psistats.Contracts.Configuration;
using Psistats.Contracts.Frames;
using Psistats.Contracts.Topology;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace Psistats.Aggregator.Consuming;

/// <summary>
/// Consumes the aggregator's queue with manual acknowledgements and a prefetch (basic.qos).
/// A frame that is too large, not JSON, not an object or lacks hostname/reporter is nacked without
/// requeue, so the broker dead-letters it to <c>[aggregator] dead_letter_exchange</c>; it is counted and
/// logged (at most 20 log lines a minute, with running counts). Nothing from a frame can stop the consumer. A frame whose
/// effects cannot be written to the state database is nacked WITH requeue (the frame is good; the broker redelivers it).
/// Reconnects through <see cref="ReconnectLoop"/> every <c>[app] retry_timer</c> seconds (also when the first connect fails).
/// </summary>
public sealed class FrameConsumer(
    AlertPipeline pipeline,
    ConsumerStats stats,
    AggregatorOptions options,
    TimeProvider time,
    ILogger<FrameConsumer> logger) : BackgroundService
{
    private readonly TokenBucketRateLimiter _rejectLogBudget = new(new TokenBucketRateLimiterOptions
    {
        TokenLimit = 20,
        TokensPerPeriod = 20,
        ReplenishmentPeriod = TimeSpan.FromMinutes(1),
        QueueLimit = 0,
        AutoReplenishment = true,
    });

    private readonly string _url = BrokerOptions.Redact(options.Broker.Url.ToString());
    private string? _lastFailure;

    /// <inheritdoc />
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        ReconnectLoop.RunAsync(ReconnectLoop.CreateFactory(options.Broker, "psistats-aggregator"), options.Broker.RetryTimer, time,
            SessionAsync, OnFailure, stoppingToken);

    private void OnFailure(Exception ex)
    {
        stats.Connected = false;
        var message = ex.GetBaseException().Message;
        stats.LastBrokerError = message;
        if (message != _lastFailure)
        {
            _lastFailure = message;
            Log.BrokerUnreachable(logger, _url, message, options.Broker.RetryTimer.TotalSeconds);
        }
    }

    /// <summary>One connection's life: declare the topology, consume until the channel or connection closes.</summary>
    private async Task SessionAsync(IConnection connection, CancellationToken stoppingToken)
    {
        var broker = options.Broker;
        await using var channel = await connection.CreateChannelAsync(cancellationToken: stoppingToken).ConfigureAwait(false);
        var closed = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        AsyncEventHandler<ShutdownEventArgs> onShutdown = (_, args) =>
        {
            closed.TrySetResult($"{args.ReplyCode} {args.ReplyText}");
            return Task.CompletedTask;
        };
        connection.ConnectionShutdownAsync += onShutdown;
        channel.ChannelShutdownAsync += onShutdown;

        await Topology.DeclareExchangeAsync(channel, broker, stoppingToken).ConfigureAwait(false);
        await Topology.DeclareAggregatorQueueAsync(channel, broker, options.Queue, stoppingToken).ConfigureAwait(false);
        await channel.BasicQosAsync(0, options.Prefetch, global: false, stoppingToken).ConfigureAwait(false);

        var consumer = new AsyncEventingBasicConsumer(channel);
        consumer.ReceivedAsync += (_, delivery) => HandleAsync(channel, delivery);
        await channel.BasicConsumeAsync(options.Queue.Name, autoAck: false, consumerTag: "", noLocal: false, exclusive: false,
            arguments: null, consumer, stoppingToken).ConfigureAwait(false);

        stats.Connected = true;
        stats.LastBrokerError = null;
        _lastFailure = null;
        Log.Consuming(logger, options.Queue.Name, RoutingKeys.All(broker.Prefix), broker.ExchangeName, options.Prefetch, _url);
        try
        {
            var reason = await closed.Task.WaitAsync(stoppingToken).ConfigureAwait(false);
            stats.LastBrokerError = reason;
            Log.ConnectionLost(logger, reason);
        }
        finally
        {
            stats.Connected = false;
        }
    }

    private async Task HandleAsync(IChannel channel, BasicDeliverEventArgs delivery)
    {
        var receivedAt = time.GetUtcNow();
        bool accepted;
        var requeue = false;
        try
        {
            // The body is only valid inside this handler: TryParse copies what it keeps (JsonElement.Clone).
            var rejection = FrameEnvelope.TryParse(delivery.Body, options.MaxFrameBytes, out var frame, out var detail);
            accepted = rejection == FrameRejection.None;
            if (accepted)
            {
                pipeline.OnFrame(frame!, receivedAt);
                stats.CountAccepted();
            }
            else
            {
                var reason = ConsumerStats.ReasonName(rejection);
                var count = stats.CountRejected(reason);
                using var lease = _rejectLogBudget.AttemptAcquire();
                if (lease.IsAcquired)
                {
                    Log.Rejected(logger, options.Queue.DeadLetterExchange, reason, detail, delivery.RoutingKey, count);
                }
            }
        }
        catch (SqliteException ex)
        {
            // The frame is fine; the state database is not (disk full, I/O error). Keep the frame: the broker redelivers it,
            // after a pause so that a lasting failure does not spin.
            accepted = false;
            requeue = true;
            stats.CountRejected("state_db_error");
            PipelineLog.WriteFailed(logger, ex, ex.Message);
            await Task.Delay(TimeSpan.FromSeconds(1), time).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            accepted = false;
            stats.CountRejected("internal_error");
            Log.ProcessingFailed(logger, ex, delivery.RoutingKey);
        }

        try
        {
            if (accepted)
            {
                await channel.BasicAckAsync(delivery.DeliveryTag, multiple: false).ConfigureAwait(false);
            }
            else
            {
                await channel.BasicNackAsync(delivery.DeliveryTag, multiple: false, requeue).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is RabbitMQ.Client.Exceptions.AlreadyClosedException or ObjectDisposedException)
        {
            // The channel closed under us: the broker redelivers the unacknowledged frame on the next connection.
        }
    }

    /// <inheritdoc />
    public override void Dispose()
    {
        _rejectLogBudget.Dispose();
        base.Dispose();
    }
}
