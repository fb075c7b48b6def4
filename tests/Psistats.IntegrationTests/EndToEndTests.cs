using System.Net;
using System.Text.Json.Nodes;
using Psistats.TestSupport;

namespace Psistats.IntegrationTests;

/// <summary>The whole chain on the real broker: agent -> exchange -> aggregator -> HTTP API.</summary>
public sealed class EndToEndTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task The_aggregator_shows_this_host_with_live_cpu_mem_and_uptime()
    {
        await using var scenario = new Scenario("[cpu]\ninterval = 0.5\n[mem]\ninterval = 0.5\n[uptime]\ninterval = 0.5\n");
        var aggregator = await scenario.StartAggregatorAsync();
        var agent = scenario.StartAgent();
        var hostname = Dns.GetHostName();

        var first = await scenario.WaitForHostAsync(hostname,
            h => h["values"]?["cpu"] is not null && h["values"]?["mem"] is not null && h["values"]?["uptime"] is not null,
            Patience, $"{hostname} with cpu, mem and uptime. Agent:\n{agent.Output}\nAggregator:\n{aggregator.Output}");

        Assert.Equal("up", first["state"]!.GetValue<string>());
        Assert.InRange(Scenario.Number(first["values"]!["cpu"]), 0, 100);
        Assert.InRange(Scenario.Number(first["values"]!["mem"]), 0.01, 100);
        Assert.True(Scenario.Number(first["values"]!["uptime"]) > 0);
        Assert.Equal(hostname, first["reporters"]!["cpu"]!["frame"]!["hostname"]!.GetValue<string>());

        // Live: the uptime the agent reports keeps moving.
        var firstUptime = Scenario.Number(first["values"]!["uptime"]);
        var later = await scenario.WaitForHostAsync(hostname, h => Scenario.Number(h["values"]?["uptime"]) > firstUptime, Patience, "a newer uptime");
        Assert.False(later["reporters"]!["cpu"]!["stale"]!.GetValue<bool>());

        var hosts = (await scenario.GetJsonAsync("/api/hosts"))!.AsArray();
        Assert.Contains(hosts, h => h!["hostname"]!.GetValue<string>() == hostname);
        var health = (await scenario.GetJsonAsync("/healthz"))!;
        Assert.Equal("healthy", health["status"]!.GetValue<string>());
        Assert.True(health["frames_accepted"]!.GetValue<long>() >= 3);
    }

    [Fact]
    public async Task A_stopped_agent_goes_down_after_down_after_and_comes_back_up_with_its_downtime()
    {
        await using var scenario = new Scenario("[aggregator]\ndown_after = 2\n[cpu]\ninterval = 0.5\n[mem]\ninterval = 0.5\n");
        var host = $"downup-{Guid.NewGuid():N}"[..20];
        var env = new Dictionary<string, string> { ["PSISTATS_app__hostname"] = host };
        await scenario.StartAggregatorAsync();
        var agent = scenario.StartAgent(env);
        await scenario.WaitForHostAsync(host, h => h["state"]?.GetValue<string>() == "up", Patience, $"{host} up. Agent:\n{agent.Output}");

        agent.Terminate();
        Assert.True(await agent.WaitForExitAsync(TimeSpan.FromSeconds(6)), $"agent still running 6 s after SIGTERM:\n{agent.Output}");
        Assert.Equal(0, agent.ExitCode);
        await scenario.WaitForHostAsync(host, h => h["state"]?.GetValue<string>() == "down", Patience, $"{host} down");

        var restarted = scenario.StartAgent(env);
        await scenario.WaitForHostAsync(host, h => h["state"]?.GetValue<string>() == "up", Patience, $"{host} up again. Agent:\n{restarted.Output}");

        var all = (await scenario.GetJsonAsync($"/api/events?host={host}"))!.AsArray().Select(e => e!).ToList();
        var events = all.Where(e => e["kind"]!.GetValue<string>() is "UP" or "DOWN").ToList();
        Assert.Equal(["UP", "DOWN", "UP"], events.Select(e => e["kind"]!.GetValue<string>()));
        var downtime = double.Parse(events[2]["value"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(downtime >= 2, $"downtime {downtime} s should be at least down_after");
        var hostDown = all.Where(e => e["rule"]?.GetValue<string>() == "host_down").Select(e => e["kind"]!.GetValue<string>());
        Assert.Equal(["firing", "resolved"], hostDown);
        var past = Assert.Single((await scenario.GetJsonAsync($"/api/downtimes?host={host}"))!.AsArray());
        Assert.False(past!["current"]!.GetValue<bool>());
        Assert.Equal(downtime, past["length_seconds"]!.GetValue<double>(), 1);
        Assert.Contains("UP again after", events[2]["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_agent_stops_within_5_seconds_of_sigterm_even_while_the_broker_is_unreachable()
    {
        await using var scenario = new Scenario();
        var agent = scenario.StartAgent(new Dictionary<string, string> { ["PSISTATS_server__url"] = "amqp://guest:guest@127.0.0.1:1/" });
        await agent.WaitForLineAsync("unreachable", Patience);

        agent.Terminate();

        Assert.True(await agent.WaitForExitAsync(TimeSpan.FromSeconds(5)), $"agent still running 5 s after SIGTERM:\n{agent.Output}");
        Assert.Contains(agent.Lines, l => l.Contains("were not confirmed by the broker", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Healthz_is_unhealthy_while_the_aggregator_cannot_reach_the_broker()
    {
        await using var scenario = new Scenario();
        await scenario.StartAggregatorAsync(new Dictionary<string, string> { ["PSISTATS_server__url"] = "amqp://guest:guest@127.0.0.1:1/" });

        var response = await scenario.Http.GetAsync("/healthz");
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("disconnected", body["broker"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.NotFound, (await scenario.Http.GetAsync("/api/hosts/nobody")).StatusCode);
    }
}
