using System.Text.Json.Nodes;
using Psistats.TestSupport;
using Xunit.Abstractions;

namespace Psistats.IntegrationTests;

/// <summary>The broker goes away and comes back: nothing the agent produced meanwhile is lost, and order holds.</summary>
public sealed class OutageTests(ITestOutputHelper output)
{
    // Frames survive a broker restart only with a durable exchange, a durable queue and persistent messages.
    private const string DurableIni = "[exchange]\ndurable = yes\n[app]\npersistent = yes\n"
        + "[cpu]\ninterval = 0.2\n[mem]\ninterval = 0.2\n[uptime]\ninterval = 0.2\n[ipaddr]\nenabled = no\n[cpu_temp]\nenabled = no\n";

    [Fact]
    public async Task Frames_produced_during_a_10_second_outage_arrive_in_order_after_reconnecting()
    {
        await using var scenario = new Scenario(DurableIni);
        var host = $"outage-{scenario.Id}";
        var queue = await FrameQueue.DeclareAsync(scenario, $"{scenario.Prefix}.{host}.#");
        var agent = scenario.StartAgent(new Dictionary<string, string> { ["PSISTATS_app__hostname"] = host });
        await agent.WaitForLineAsync("Connected to", TimeSpan.FromSeconds(30));
        await Task.Delay(TimeSpan.FromSeconds(2));

        var (outageStart, outageEnd) = await Outage.RunAsync(agent, TimeSpan.FromSeconds(10));

        var frames = (await FrameQueue.DrainAsync(queue)).Select(f => f.Frame).ToList();
        var (distinct, duplicates) = FrameQueue.AssertInOrderWithoutGaps(frames);
        var duringOutage = frames.Count(f => Outage.Within(f, outageStart.AddSeconds(1), outageEnd.AddSeconds(-1)));
        // 3 reporters every 0.2 s over the 8 s strictly inside the outage: 120 frames; allow for timer slack.
        output.WriteLine($"{distinct} distinct frames, {duplicates} duplicates, {duringOutage} produced inside the outage");
        Assert.True(duringOutage >= 90, $"only {duringOutage} frames from inside the outage arrived ({distinct} distinct, {duplicates} duplicates)");
        Assert.True(duplicates <= 256, $"{duplicates} duplicates: more than one batch was re-sent");
        Assert.Contains(agent.Lines, l => l.Contains("frames wait in the outbox", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_agent_started_while_the_broker_is_down_keeps_retrying_and_loses_nothing()
    {
        await using var scenario = new Scenario(DurableIni);
        var host = $"lateboot-{scenario.Id}";
        var queue = await FrameQueue.DeclareAsync(scenario, $"{scenario.Prefix}.{host}.#");
        await Broker.StopAppAsync();
        ProgramProcess agent;
        try
        {
            agent = scenario.StartAgent(new Dictionary<string, string> { ["PSISTATS_app__hostname"] = host });
            await agent.WaitForLineAsync("unreachable", TimeSpan.FromSeconds(30));
            await Task.Delay(TimeSpan.FromSeconds(3));
        }
        finally
        {
            await Broker.StartAppAsync();
        }

        await agent.WaitForLineAsync("Connected to", TimeSpan.FromSeconds(30));
        await Task.Delay(TimeSpan.FromSeconds(1));
        agent.Terminate();
        Assert.True(await agent.WaitForExitAsync(TimeSpan.FromSeconds(6)), agent.Output);

        var frames = (await FrameQueue.DrainAsync(queue)).Select(f => f.Frame).ToList();
        var (distinct, _) = FrameQueue.AssertInOrderWithoutGaps(frames);
        output.WriteLine($"{distinct} distinct frames, first seq {frames[0]["seq"]}");
        Assert.True(distinct >= 20, $"{distinct} frames: those produced before the first connect are missing");
        Assert.Equal(1, frames[0]["seq"]!.GetValue<long>());
    }
}
