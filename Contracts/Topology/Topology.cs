using Psistats.Contracts.Configuration;
using RabbitMQ.Client;

namespace Psistats.Contracts.Topology;

/// <summary>
/// Declares the exchanges, queues and bindings of wire format v1 (docs/wire-format.md).
/// Declarations are idempotent; a declaration that disagrees with an existing entity fails with
/// the broker's 406 PRECONDITION_FAILED, which closes the channel (the caller must open a new one).
/// </summary>
public static class Topology
{
    /// <summary>Declares the topic exchange named by <c>[exchange] name</c>.</summary>
    public static Task DeclareExchangeAsync(IChannel channel, BrokerOptions options, CancellationToken cancellationToken) =>
        channel.ExchangeDeclareAsync(options.ExchangeName, ExchangeType.Topic, options.ExchangeDurable, options.ExchangeAutoDelete,
            arguments: null, cancellationToken: cancellationToken);

    /// <summary>Name of psistats' per-host queue, <c>&lt;prefix&gt;.&lt;host&gt;</c>.</summary>
    public static string HostQueueName(BrokerOptions options, string hostname) => $"{options.Prefix}.{RoutingKeys.HostWord(hostname)}";

    /// <summary>
    /// Declares psistats' per-host queue (durable, exclusive, auto-delete and <c>x-message-ttl</c> per [queue])
    /// bound to <c>&lt;prefix&gt;.&lt;host&gt;.#</c>, so that consumers written for psistats keep working.
    /// </summary>
    public static async Task DeclareHostQueueAsync(IChannel channel, BrokerOptions options, string hostname, CancellationToken cancellationToken)
    {
        var name = HostQueueName(options, hostname);
        Dictionary<string, object?>? arguments = options.QueueTtlMs > 0 ? new() { ["x-message-ttl"] = options.QueueTtlMs } : null;
        await channel.QueueDeclareAsync(name, options.QueueDurable, options.QueueExclusive, options.QueueAutoDelete, arguments,
            cancellationToken: cancellationToken).ConfigureAwait(false);
        await channel.QueueBindAsync(name, options.ExchangeName, RoutingKeys.AllOfHost(options.Prefix, hostname),
            cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Declares the aggregator's durable queue bound to <c>&lt;prefix&gt;.#</c>, with <c>x-max-length</c>
    /// and a dead-letter exchange (fanout, durable) whose durable queue keeps rejected frames.
    /// </summary>
    public static async Task DeclareAggregatorQueueAsync(IChannel channel, BrokerOptions options, AggregatorQueueOptions queue,
        CancellationToken cancellationToken)
    {
        await channel.ExchangeDeclareAsync(queue.DeadLetterExchange, ExchangeType.Fanout, durable: true, autoDelete: false,
            cancellationToken: cancellationToken).ConfigureAwait(false);
        await channel.QueueDeclareAsync(queue.DeadLetterQueue, durable: true, exclusive: false, autoDelete: false,
            arguments: new Dictionary<string, object?> { ["x-max-length"] = queue.DeadLetterMaxLength },
            cancellationToken: cancellationToken).ConfigureAwait(false);
        await channel.QueueBindAsync(queue.DeadLetterQueue, queue.DeadLetterExchange, routingKey: "",
            cancellationToken: cancellationToken).ConfigureAwait(false);

        await channel.QueueDeclareAsync(queue.Name, durable: true, exclusive: false, autoDelete: false,
            arguments: new Dictionary<string, object?>
            {
                ["x-max-length"] = queue.MaxLength,
                ["x-dead-letter-exchange"] = queue.DeadLetterExchange,
            },
            cancellationToken: cancellationToken).ConfigureAwait(false);
        await channel.QueueBindAsync(queue.Name, options.ExchangeName, RoutingKeys.All(options.Prefix),
            cancellationToken: cancellationToken).ConfigureAwait(false);
    }
}

/// <summary>Names and limits of the aggregator's queue and its dead-letter pair.</summary>
/// <param name="Name">The aggregator's queue, default <c>&lt;prefix&gt;.aggregator</c>.</param>
/// <param name="MaxLength">x-max-length of that queue, frames; the oldest are dead-lettered (reason maxlen) past it.</param>
/// <param name="DeadLetterExchange">Fanout exchange for rejected frames, default <c>&lt;prefix&gt;.dead-letter</c>.</param>
/// <param name="DeadLetterQueue">Durable queue keeping rejected frames, default <c>&lt;queue&gt;.rejected</c>.</param>
/// <param name="DeadLetterMaxLength">x-max-length of the dead-letter queue, frames.</param>
public sealed record AggregatorQueueOptions(string Name, long MaxLength, string DeadLetterExchange, string DeadLetterQueue, long DeadLetterMaxLength);
