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
/// Consumes the aggregator's queue with manual acknowledgements and a prefetch (basic.qos); accepted frames are acknowledged
/// in batches (<see cref="AckBatcher"/>: one <c>basic.ack</c> with <c>multiple = true</c> per quarter of the prefetch, or every
/// 200 ms), each only after its effects are committed.
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
    private readonly TokenBucketRateLimiter _rejectLogBudget = LogBudget.PerMinute(20);

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

        // Deliveries are handled one at a time, in delivery-tag order (the client's default ConsumerDispatchConcurrency of 1):
        // that is what lets one basic.ack with multiple = true settle a whole batch (AckBatcher).
        using var acks = new AckBatcher(
            (tag, multiple) => channel.BasicAckAsync(tag, multiple),
            (tag, requeue) => channel.BasicNackAsync(tag, multiple: false, requeue),
            AckBatcher.BatchSizeFor(options.Prefetch));
        var consumer = new AsyncEventingBasicConsumer(channel);
        consumer.ReceivedAsync += (_, delivery) => HandleAsync(acks, delivery);
        await channel.BasicConsumeAsync(options.Queue.Name, autoAck: false, consumerTag: "", noLocal: false, exclusive: false,
            arguments: null, consumer, stoppingToken).ConfigureAwait(false);

        stats.Connected = true;
        stats.LastBrokerError = null;
        _lastFailure = null;
        Log.Consuming(logger, options.Queue.Name, RoutingKeys.All(broker.Prefix), broker.ExchangeName, options.Prefetch, _url);
        try
        {
            var reason = await WaitFlushingAsync(acks, closed.Task, stoppingToken).ConfigureAwait(false);
            stats.LastBrokerError = reason;
            Log.ConnectionLost(logger, reason);
        }
        finally
        {
            stats.Connected = false;
        }
    }

    /// <summary>
    /// Until the channel or connection closes (returns why) or the service stops: flushes the pending acknowledgements every
    /// <see cref="AckBatcher.FlushInterval"/>, and a last time when stopping, so that a clean stop leaves nothing to redeliver.
    /// </summary>
    private async Task<string> WaitFlushingAsync(AckBatcher acks, Task<string> closed, CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(AckBatcher.FlushInterval, time);
        try
        {
            while (!closed.IsCompleted)
            {
                var tick = timer.WaitForNextTickAsync(stoppingToken).AsTask();
                if (await Task.WhenAny(closed, tick).ConfigureAwait(false) == tick)
                {
                    await tick.ConfigureAwait(false); // throws when stopping
                    await TryFlushAsync(acks).ConfigureAwait(false);
                }
            }

            return await closed.ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            await TryFlushAsync(acks).ConfigureAwait(false);
            throw;
        }
    }

    private static async Task TryFlushAsync(AckBatcher acks)
    {
        try
        {
            await acks.FlushAsync().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is RabbitMQ.Client.Exceptions.AlreadyClosedException or ObjectDisposedException or OperationCanceledException)
        {
            // The channel closed: the broker redelivers what was not acknowledged.
        }
    }

    private async Task HandleAsync(AckBatcher acks, BasicDeliverEventArgs delivery)
    {
        var receivedAt = time.GetUtcNow();
        bool accepted;
        var requeue = false;
        try
        {
            // The body is only valid inside this handler, and so is the frame read in place from it: whatever keeps part of a
            // frame copies it (the host state its bytes, the remediation a JsonElement.Clone).
            var rejection = FrameEnvelope.TryParseInPlace(delivery.Body, options.MaxFrameBytes, out var parsed, out var detail);
            if (rejection == FrameRejection.None)
            {
                FrameOutcome outcome;
                using (parsed)
                {
                    outcome = pipeline.OnFrame(parsed!.Envelope, receivedAt);
                    if (outcome == FrameOutcome.TooManyHosts)
                    {
                        rejection = FrameRejection.TooManyHosts;
                        detail = $"new host '{parsed.Envelope.Hostname}' refused: max_hosts {options.MaxHosts} or new_hosts_per_minute {options.NewHostsPerMinute} reached";
                    }
                }

                if (outcome == FrameOutcome.Applied)
                {
                    stats.CountAccepted();
                }
                else if (outcome == FrameOutcome.Replay)
                {
                    stats.CountReplayed();
                }
            }

            accepted = rejection == FrameRejection.None;
            if (!accepted)
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
                await acks.AckAsync(delivery.DeliveryTag).ConfigureAwait(false);
            }
            else
            {
                await acks.NackAsync(delivery.DeliveryTag, requeue).ConfigureAwait(false);
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
