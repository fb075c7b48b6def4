using System.Reflection;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Psistats.Agent.Configuration;
using Psistats.Contracts.Amqp;
using Psistats.Contracts.Configuration;
using Psistats.Contracts.Frames;
using Psistats.Contracts.Topology;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace Psistats.Agent.Publishing;

/// <summary>
/// Publishes the outbox to the topic exchange over one connection, with publisher confirms.
/// Up to <c>[app] max_in_flight</c> frames await their confirm at once (bounded by a FIFO
/// <see cref="ConcurrencyLimiter"/> handed to the channel, as RabbitMQ.Client 7 needs); a frame leaves the
/// outbox only when confirmed, so delivery is at least once and in order. Frames are published <c>mandatory</c>
/// (<c>[app] mandatory</c>): one that no queue is bound for comes back (<c>basic.return</c>) and stays in the outbox, so a
/// confirm means "queued".
/// Reconnects through <see cref="ReconnectLoop"/> every <c>[app] retry_timer</c> seconds, a failed first
/// connect included. After a failed or timed-out publish the channel and connection are discarded
/// (RabbitMQ.Client 7.1.2 leaves a channel's confirm state corrupt after a cancelled publish).
/// </summary>
public sealed class AmqpPublisher(IOutbox outbox, AgentOptions options, TimeProvider time, ILogger<AmqpPublisher> logger) : BackgroundService
{
    /// <summary>How long a stopping agent keeps publishing what is left (SIGTERM must finish within 5 s).</summary>
    internal static readonly TimeSpan StopFlushBudget = TimeSpan.FromSeconds(3);

    /// <summary>The AMQP <c>app_id</c>: <c>psistats-agent/&lt;version&gt;</c>.</summary>
    public static readonly string AppId = "psistats-agent/" + Version;

    private readonly string _url = BrokerOptions.Redact(options.Broker.Url.ToString());
    private volatile bool _connected;
    private string? _lastFailure;

    /// <summary>The agent's informational version.</summary>
    public static string Version =>
        typeof(AmqpPublisher).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";

    /// <summary>True while a channel to the broker is open.</summary>
    public bool Connected => _connected;

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var factory = ReconnectLoop.CreateFactory(options.Broker, $"psistats-agent@{options.Hostname}");
        await ReconnectLoop.RunAsync(factory, options.Broker.RetryTimer, time, SessionAsync, OnFailure, stoppingToken).ConfigureAwait(false);
        if (outbox.Count > 0)
        {
            Log.StoppedWithBacklog(logger, outbox.Count);
        }
    }

    private void OnFailure(Exception ex)
    {
        _connected = false;
        var message = ex.GetBaseException().Message;
        if (message != _lastFailure)
        {
            _lastFailure = message;
            Log.BrokerUnreachable(logger, _url, message, options.Broker.RetryTimer.TotalSeconds);
        }
    }

    /// <summary>One connection's life: declare, then publish until the connection is lost or the agent stops.</summary>
    private async Task SessionAsync(IConnection connection, CancellationToken stoppingToken)
    {
        var broker = options.Broker;
        using var lost = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        string? lostReason = null;
        connection.ConnectionShutdownAsync += (_, args) =>
        {
            lostReason = $"{args.ReplyCode} {args.ReplyText}";
            try
            {
                lost.Cancel();
            }
            catch (ObjectDisposedException)
            {
                // The session already ended.
            }

            return Task.CompletedTask;
        };

        using var limiter = new ConcurrencyLimiter(new ConcurrencyLimiterOptions
        {
            PermitLimit = options.MaxInFlight,
            QueueLimit = int.MaxValue,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
        });
        await using var channel = await connection.CreateChannelAsync(
            new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true, limiter),
            stoppingToken).ConfigureAwait(false);
        await Topology.DeclareExchangeAsync(channel, broker, stoppingToken).ConfigureAwait(false);
        if (broker.DeclareHostQueue)
        {
            await Topology.DeclareHostQueueAsync(channel, broker, options.Hostname, stoppingToken).ConfigureAwait(false);
        }

        _connected = true;
        _lastFailure = null;
        Log.Connected(logger, _url, broker.ExchangeName, outbox.Count);
        try
        {
            await PumpAsync(channel, lost.Token).ConfigureAwait(false);
        }
        catch (Exception) when (stoppingToken.IsCancellationRequested)
        {
            await FlushOnStopAsync(channel).ConfigureAwait(false);
            throw new OperationCanceledException(stoppingToken);
        }
        catch (UnroutableException)
        {
            // Logged where it was seen; the session ends so that the next one, retry_timer later, declares and publishes again.
        }
        catch (Exception ex)
        {
            Log.ConnectionLost(logger, lostReason ?? ex.Message, outbox.Count);
        }
        finally
        {
            _connected = false;
        }
    }

    /// <summary>Publishes batches until <paramref name="stopOrLost"/> fires or a publish fails (then throws).</summary>
    private async Task PumpAsync(IChannel channel, CancellationToken stopOrLost)
    {
        while (true)
        {
            await outbox.WaitForFramesAsync(stopOrLost).ConfigureAwait(false);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stopOrLost);
            timeout.CancelAfter(options.PublishTimeout);
            await PublishBatchAsync(channel, timeout.Token).ConfigureAwait(false);
        }
    }

    private async Task FlushOnStopAsync(IChannel channel)
    {
        using var budget = new CancellationTokenSource(StopFlushBudget);
        try
        {
            while (channel.IsOpen && outbox.Count > 0 && !budget.IsCancellationRequested)
            {
                await PublishBatchAsync(channel, budget.Token).ConfigureAwait(false);
            }
        }
        catch (Exception)
        {
            // Whatever was not confirmed within the budget stays unconfirmed; ExecuteAsync reports how many.
        }
    }

    /// <summary>
    /// Publishes the oldest frames (up to max_in_flight) in order and waits for their confirms; removes the
    /// confirmed prefix from the outbox. Throws if any publish failed: the rest stays for the next connection.
    /// </summary>
    private async Task PublishBatchAsync(IChannel channel, CancellationToken cancellationToken)
    {
        var batch = outbox.Peek(options.MaxInFlight);
        if (batch.Count == 0)
        {
            return;
        }

        var pending = new Task[batch.Count];
        for (var i = 0; i < batch.Count; i++)
        {
            var frame = batch[i];
            var properties = new BasicProperties
            {
                ContentType = FrameSerializer.ContentType,
                ContentEncoding = FrameSerializer.ContentEncoding,
                Type = frame.Reporter,
                AppId = AppId,
                MessageId = frame.MessageId,
                Timestamp = new AmqpTimestamp(frame.Timestamp),
                DeliveryMode = options.Persistent ? DeliveryModes.Persistent : DeliveryModes.Transient,
            };
            pending[i] = channel.BasicPublishAsync(options.Broker.ExchangeName, frame.RoutingKey, options.Mandatory, properties, frame.Body,
                cancellationToken).AsTask();
        }

        Exception? failure = null;
        try
        {
            await Task.WhenAll(pending).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            failure = ex;
        }

        var confirmed = 0;
        while (confirmed < pending.Length && pending[confirmed].IsCompletedSuccessfully)
        {
            confirmed++;
        }

        if (confirmed > 0)
        {
            outbox.RemoveThrough(batch[confirmed - 1].Sequence);
        }

        if (failure is not null)
        {
            if (confirmed < pending.Length && pending[confirmed].Exception?.GetBaseException() is PublishException { IsReturn: true })
            {
                // basic.return: no queue is bound for this routing key yet. The broker's confirm would mean nothing here, so
                // the frame stays in the outbox; the reconnect after retry_timer also declares the exchange again.
                var returned = pending.Count(t => t.Exception?.GetBaseException() is PublishException { IsReturn: true });
                Log.Unroutable(logger, returned, batch[confirmed].RoutingKey, options.Broker.ExchangeName, options.Broker.RetryTimer.TotalSeconds);
                throw new UnroutableException(returned);
            }

            throw new InvalidOperationException($"publish failed after {confirmed} of {batch.Count} confirms: {failure.Message}", failure);
        }
    }
}

/// <summary>Frames came back with <c>basic.return</c> (published mandatory, no queue bound): they stay in the outbox.</summary>
internal sealed class UnroutableException(int count) : Exception($"{count} frames returned unroutable");
