using Psistats.Aggregator.Configuration;
using Psistats.Contracts.Topology;

namespace Psistats.LoadGen;

/// <summary>Declares and deletes the bare consumer's queue: a twin of the aggregator's, so both drain alike.</summary>
internal static class Queues
{
    /// <summary>
    /// Declares queue <paramref name="name"/> exactly as the aggregator declares its own (<see cref="Topology.DeclareAggregatorQueueAsync"/>
    /// with [aggregator] queue_max_length and the dead-letter exchange; its dead-letter queue is <c>NAME.rejected</c>),
    /// bound to <c>prefix.#</c>: it receives every frame the aggregator's queue receives.
    /// </summary>
    public static async Task DeclareAsync(AggregatorOptions options, string name, CancellationToken cancellationToken)
    {
        await using var connection = await Broker.ConnectAsync(options, "psistats-loadgen-declare", cancellationToken).ConfigureAwait(false);
        await using var channel = await connection.CreateChannelAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        await Topology.DeclareExchangeAsync(channel, options.Broker, cancellationToken).ConfigureAwait(false);
        await Topology.DeclareAggregatorQueueAsync(channel, options.Broker, options.Queue with { Name = name, DeadLetterQueue = $"{name}.rejected" },
            cancellationToken).ConfigureAwait(false);
        Console.WriteLine($"declared queue {name} (twin of {options.Queue.Name}), bound to {RoutingKeys.All(options.Broker.Prefix)}");
    }

    /// <summary>Deletes queue <paramref name="name"/> and <c>NAME.rejected</c> (their frames with them).</summary>
    public static async Task DeleteAsync(AggregatorOptions options, string name, CancellationToken cancellationToken)
    {
        await using var connection = await Broker.ConnectAsync(options, "psistats-loadgen-delete", cancellationToken).ConfigureAwait(false);
        await using var channel = await connection.CreateChannelAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        var frames = await channel.QueueDeleteAsync(name, ifUnused: false, ifEmpty: false, cancellationToken: cancellationToken).ConfigureAwait(false);
        await channel.QueueDeleteAsync($"{name}.rejected", ifUnused: false, ifEmpty: false, cancellationToken: cancellationToken).ConfigureAwait(false);
        Console.WriteLine($"deleted queue {name} ({frames} frames left in it)");
    }
}
