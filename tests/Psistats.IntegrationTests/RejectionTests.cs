using System.Text;
using Psistats.TestSupport;
using RabbitMQ.Client;

namespace Psistats.IntegrationTests;

/// <summary>Bad input on the real broker: rejected to the dead-letter queue, counted, and the aggregator keeps serving.</summary>
public sealed class RejectionTests
{
    [Fact]
    public async Task Malformed_frames_reach_the_dead_letter_queue_and_the_aggregator_keeps_serving()
    {
        await using var scenario = new Scenario("[aggregator]\nmax_frame_bytes = 1024\n");
        var aggregator = await scenario.StartAggregatorAsync();
        await aggregator.WaitForLineAsync("Consuming", TimeSpan.FromSeconds(30));
        await using var connection = await Broker.ConnectAsync();
        await using var channel = await connection.CreateChannelAsync();
        var key = $"{scenario.Prefix}.evil.cpu";
        string[] bad =
        [
            "this is not json",
            """{"reporter":"cpu","cpu":1}""",
            """["hostname","reporter"]""",
            $$"""{"hostname":"big","reporter":"cpu","pad":"{{new string('x', 2000)}}"}""",
        ];
        foreach (var body in bad)
        {
            await channel.BasicPublishAsync(scenario.Exchange, key, Encoding.UTF8.GetBytes(body));
        }

        await channel.BasicPublishAsync(scenario.Exchange, $"{scenario.Prefix}.good.cpu",
            Encoding.UTF8.GetBytes("""{"hostname":"good","reporter":"cpu","timestamp":1,"interval":2,"cpu":5.5,"cpu_cores":[5.5]}"""));

        var good = await scenario.WaitForHostAsync("good", _ => true, TimeSpan.FromSeconds(30), "the valid frame sent after the bad ones");
        Assert.Equal(5.5, Scenario.Number(good["values"]!["cpu"]));

        var deadLettered = new List<(string Body, string? Reason)>();
        await Eventually.TrueAsync(() =>
        {
            var result = channel.BasicGetAsync($"{scenario.Prefix}.aggregator.rejected", autoAck: true).GetAwaiter().GetResult();
            if (result is not null)
            {
                var death = (List<object>)result.BasicProperties.Headers!["x-death"]!;
                var reason = Encoding.UTF8.GetString((byte[])((Dictionary<string, object?>)death[0])["reason"]!);
                deadLettered.Add((Encoding.UTF8.GetString(result.Body.Span), reason));
            }

            return deadLettered.Count == bad.Length;
        }, TimeSpan.FromSeconds(30), "every bad frame in the dead-letter queue");

        Assert.Equal(bad, deadLettered.Select(d => d.Body));
        Assert.All(deadLettered, d => Assert.Equal("rejected", d.Reason));
        var health = (await scenario.GetJsonAsync("/healthz"))!;
        Assert.Equal("healthy", health["status"]!.GetValue<string>());
        var rejected = health["frames_rejected"]!;
        Assert.Equal(1, rejected["invalid_json"]!.GetValue<long>());
        Assert.Equal(1, rejected["missing_hostname"]!.GetValue<long>());
        Assert.Equal(1, rejected["not_an_object"]!.GetValue<long>());
        Assert.Equal(1, rejected["too_large"]!.GetValue<long>());
        Assert.Contains(aggregator.Lines, l => l.Contains("Rejected a frame", StringComparison.Ordinal) && l.Contains("invalid_json", StringComparison.Ordinal));
        Assert.False(aggregator.HasExited);
    }
}
