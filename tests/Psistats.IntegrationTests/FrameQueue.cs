using System.Text.Json.Nodes;
using RabbitMQ.Client;

namespace Psistats.IntegrationTests;

/// <summary>A durable queue the test declares on a scenario's exchange, read with basic.get after the fact.</summary>
public static class FrameQueue
{
    /// <summary>Declares the scenario's exchange (durable, as the agent will) and a durable queue bound with <paramref name="binding"/>.</summary>
    public static async Task<string> DeclareAsync(Scenario scenario, string binding)
    {
        await using var connection = await Broker.ConnectAsync();
        await using var channel = await connection.CreateChannelAsync();
        var queue = $"{scenario.Prefix}.test-tail";
        await channel.ExchangeDeclareAsync(scenario.Exchange, ExchangeType.Topic, durable: true, autoDelete: false);
        await channel.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false);
        await channel.QueueBindAsync(queue, scenario.Exchange, binding);
        return queue;
    }

    /// <summary>Takes every message now in <paramref name="queue"/>, in queue order, with its properties.</summary>
    public static async Task<List<(JsonNode Frame, IReadOnlyBasicProperties Properties)>> DrainAsync(string queue)
    {
        await using var connection = await Broker.ConnectAsync();
        await using var channel = await connection.CreateChannelAsync();
        var frames = new List<(JsonNode, IReadOnlyBasicProperties)>();
        while (await channel.BasicGetAsync(queue, autoAck: true) is { } message)
        {
            frames.Add((JsonNode.Parse(message.Body.Span)!, message.BasicProperties));
        }

        await channel.QueueDeleteAsync(queue);
        return frames;
    }

    /// <summary>
    /// Checks delivery is in order and complete: the first occurrences of <c>seq</c> run 1, 2, 3, ... with no gap
    /// (at-least-once: a re-sent frame may appear twice, never out of order before its first copy).
    /// Returns the number of distinct frames and of duplicates.
    /// </summary>
    public static (int Distinct, int Duplicates) AssertInOrderWithoutGaps(IEnumerable<JsonNode> frames)
    {
        var seen = new HashSet<long>();
        long expected = 1;
        var duplicates = 0;
        foreach (var frame in frames)
        {
            var seq = frame["seq"]!.GetValue<long>();
            if (!seen.Add(seq))
            {
                duplicates++;
                continue;
            }

            Assert.True(seq == expected, $"frame seq {seq} arrived where {expected} was due (lost or out of order)");
            expected++;
        }

        return (seen.Count, duplicates);
    }
}
