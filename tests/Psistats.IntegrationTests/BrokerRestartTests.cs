using System.Text.Json.Nodes;
using Psistats.TestSupport;
using RabbitMQ.Client;
using Xunit.Abstractions;

namespace Psistats.IntegrationTests;

/// <summary>
/// A broker restart with the shipped defaults (non-durable exchange): the exchange and its bindings are gone until declared
/// again, and whichever side reconnects first, no frame the broker confirmed is lost. The test plays the aggregator's side by
/// declaring the same durable queue bound to <c>&lt;prefix&gt;.#</c>, and decides when its binding comes back.
/// </summary>
public sealed class BrokerRestartTests(ITestOutputHelper output)
{
    private const string FastReporters = "[cpu]\ninterval = 0.2\n[mem]\ninterval = 0.2\n[uptime]\ninterval = 0.2\n"
        + "[ipaddr]\nenabled = no\n[cpu_temp]\nenabled = no\n";

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task With_the_defaults_a_broker_restart_loses_no_frame_whichever_side_reconnects_first(bool agentFirst)
    {
        await using var scenario = new Scenario(FastReporters);
        var host = $"restart-{scenario.Id}";
        var queue = $"{scenario.Prefix}.aggregator-standin";
        await BindAsync(scenario, queue);
        // Agent first: it retries every second and comes back long before the binding. Binding first: the agent waits 5 s.
        var agent = scenario.StartAgent(new Dictionary<string, string>
        {
            ["PSISTATS_app__hostname"] = host,
            ["PSISTATS_app__retry_timer"] = agentFirst ? "1" : "5",
        });
        await agent.WaitForLineAsync("Connected to", TimeSpan.FromSeconds(30));
        await Task.Delay(TimeSpan.FromSeconds(2));

        await Broker.StopAppAsync();
        try
        {
            await agent.WaitForLineAsync("Connection to the broker lost", TimeSpan.FromSeconds(15));
            await Task.Delay(TimeSpan.FromSeconds(2));
        }
        finally
        {
            await Broker.StartAppAsync();
        }

        if (agentFirst)
        {
            // The agent has declared the exchange again and published into it with no queue bound: its frames came back.
            await agent.WaitForLineAsync("came back unroutable", TimeSpan.FromSeconds(30));
            await Task.Delay(TimeSpan.FromSeconds(2));
            await BindAsync(scenario, queue);
        }
        else
        {
            await BindAsync(scenario, queue);
        }

        await Eventually.TrueAsync(() => agent.Lines.Count(l => l.Contains("Connected to", StringComparison.Ordinal)) >= 2,
            TimeSpan.FromSeconds(60), "agent reconnected");
        // The backlog goes first; once 3 s of new frames (45) are queued beyond it, nothing from the outage is left in the outbox.
        var queued = await Broker.MessageCountAsync(queue);
        await Eventually.ValueAsync(async () => await Broker.MessageCountAsync(queue) >= queued + 45 ? "flowing" : null, TimeSpan.FromSeconds(60),
            $"frames flowing again. Agent:\n{agent.Output}");
        agent.Terminate();
        Assert.True(await agent.WaitForExitAsync(TimeSpan.FromSeconds(6)), agent.Output);

        var frames = (await FrameQueue.DrainAsync(queue)).Select(f => f.Frame).ToList();
        var (distinct, duplicates, last) = AssertNoneMissing(frames);
        output.WriteLine($"agent first: {agentFirst}; {distinct} distinct frames (seq 1..{last}), {duplicates} duplicates");
        Assert.True(distinct >= 60, $"only {distinct} frames");
        Assert.DoesNotContain("frames still in the outbox were not confirmed", agent.Output, StringComparison.Ordinal);
        Assert.True(!agentFirst || agent.Lines.Any(l => l.Contains("came back unroutable", StringComparison.Ordinal)), "the race was not played");
    }

    /// <summary>The seq numbers received are exactly 1..max (duplicates allowed: at least once); returns the counts.</summary>
    private static (int Distinct, int Duplicates, long Last) AssertNoneMissing(IReadOnlyList<JsonNode> frames)
    {
        var seqs = frames.Select(f => f["seq"]!.GetValue<long>()).ToList();
        var distinct = seqs.ToHashSet();
        var last = distinct.Count == 0 ? 0 : distinct.Max();
        var missing = Enumerable.Range(1, (int)last).Where(s => !distinct.Contains(s)).ToList();
        Assert.True(missing.Count == 0, $"{missing.Count} of {last} frames lost, first seq {string.Join(", ", missing.Take(10))}");
        return (distinct.Count, seqs.Count - distinct.Count, last);
    }

    /// <summary>Declares what the aggregator declares, with the shipped defaults: the non-durable topic exchange, a durable queue bound to &lt;prefix&gt;.#.</summary>
    private static async Task BindAsync(Scenario scenario, string queue)
    {
        await using var connection = await Broker.ConnectAsync();
        await using var channel = await connection.CreateChannelAsync();
        await channel.ExchangeDeclareAsync(scenario.Exchange, ExchangeType.Topic, durable: false, autoDelete: false);
        await channel.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false);
        await channel.QueueBindAsync(queue, scenario.Exchange, $"{scenario.Prefix}.#");
    }
}
