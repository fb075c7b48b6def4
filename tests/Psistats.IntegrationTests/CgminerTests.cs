using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Psistats.TestSupport;

namespace Psistats.IntegrationTests;

/// <summary>
/// Proxy mode on the real broker: the cgminer simulator (a Cointerra TerraMiner) -> a proxy agent with a
/// <c>[cgminer:NAME]</c> section -> the aggregator, which shows the miner as a host of its own.
/// </summary>
public sealed class CgminerTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    /// <summary>A miner section polling <paramref name="port"/> every second, giving up on a command after 2 s.</summary>
    private static string MinerIni(string name, int port) => $"[cgminer:{name}]\nhost = 127.0.0.1\nport = {port}\ninterval = 1\ntimeout = 2\n";

    private static JsonNode Frame(JsonNode host) => host["reporters"]!["cgminer"]!["frame"]!;

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    [Fact]
    public async Task The_aggregator_shows_the_simulated_cointerra_and_a_fault_switched_on_shows_in_the_next_frames()
    {
        await using var simulator = await CgminerSimulatorProcess.StartAsync("--name", "sim1");
        await using var scenario = new Scenario(MinerIni("sim1", simulator.ApiPort));
        var aggregator = await scenario.StartAggregatorAsync();
        var agent = scenario.StartAgent();
        string Logs() => $"Agent:\n{agent.Output}\nAggregator:\n{aggregator.Output}";

        var miner = await scenario.WaitForHostAsync("sim1", h => h["values"]?["boards"] is JsonArray { Count: 2 }, Patience, $"sim1 with its boards. {Logs()}");

        Assert.Equal("up", miner["state"]!.GetValue<string>());
        var values = miner["values"]!;
        Assert.True(values["api_ok"]!.GetValue<bool>());
        Assert.Equal("sim1", Frame(miner)["hostname"]!.GetValue<string>());
        Assert.Equal("cgminer 4.3.5", values["api_description"]!.GetValue<string>());
        // A TerraMiner IV hashes about 2 TH/s: 2,000,000 MH/s.
        Assert.InRange(Scenario.Number(values["summary"]!["MHS av"]), 1e6, 3e6);
        Assert.Equal(2, values["asc_count"]!.GetValue<int>());
        Assert.All(values["boards"]!.AsArray(), b =>
        {
            Assert.InRange(Scenario.Number(b!["avg_core_temp"]), 20, 100);
            Assert.InRange(Scenario.Number(b["ambient_avg"]), 10, 60);
            Assert.NotEmpty(b["fans"]!.AsObject());
        });
        var hosts = (await scenario.GetJsonAsync("/api/hosts"))!.AsArray().Select(h => h!["hostname"]!.GetValue<string>()).ToList();
        Assert.Contains("sim1", hosts);
        Assert.Contains(Dns.GetHostName(), hosts);

        // Faults switched on through the control port show in the frames that follow.
        await simulator.Control.PutAsync("faults/asic-sick", null);
        await simulator.Control.PutAsync("faults/pool-dead", null);
        await simulator.Control.PutAsync("faults/die-inactive", null);
        var faulty = await scenario.WaitForHostAsync("sim1",
            h => h["values"]?["asc"]?[0]?["Status"]?.GetValue<string>() == "Sick" && h["values"]?["pools"]?[0]?["Status"]?.GetValue<string>() == "Dead",
            TimeSpan.FromSeconds(10), $"ASC 0 Sick and pool 0 Dead. {Logs()}");
        Assert.False(faulty["values"]!["pools"]![0]!["Stratum Active"]!.GetValue<bool>());
        var board1 = faulty["values"]!["boards"]![1]!;
        Assert.True(board1["DiesActive"]!.GetValue<int>() < board1["Dies"]!.GetValue<int>(), board1.ToJsonString());
        Assert.Contains(board1["live_engines"]!.AsObject(), e => e.Value!.GetValue<int>() == 0);

        await simulator.Control.PutAsync("faults/refuse", null);
        var refused = await scenario.WaitForHostAsync("sim1", h => h["values"]?["api_ok"]?.GetValue<bool>() == false,
            TimeSpan.FromSeconds(10), $"api_ok false while the API refuses. {Logs()}");
        Assert.Equal("refused", refused["values"]!["error"]!["kind"]!.GetValue<string>());
        Assert.Equal("up", refused["state"]!.GetValue<string>());
        Assert.Null(refused["values"]!["summary"]);

        await simulator.Control.DeleteAsync("faults");
        var healthy = await scenario.WaitForHostAsync("sim1", h => h["values"]?["api_ok"]?.GetValue<bool>() == true
            && h["values"]?["asc"]?[0]?["Status"]?.GetValue<string>() == "Alive", TimeSpan.FromSeconds(10), $"sim1 healthy again. {Logs()}");
        Assert.Null(healthy["values"]!["error"]);
        Assert.Single(agent.Lines, l => l.Contains("Reporter cgminer:sim1 failed: ", StringComparison.Ordinal) && l.Contains("refused", StringComparison.Ordinal));

        var frames = new[] { Frame(faulty), Frame(refused), Frame(healthy) }.Select(f => f.ToJsonString());
        Assert.Contains("3 frames valid", await WireFormatTests.ValidateAsync(frames), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_miner_that_never_answers_is_api_ok_false_with_a_timeout_while_another_miner_and_the_host_keep_reporting()
    {
        await using var healthy = await CgminerSimulatorProcess.StartAsync("--name", "sim1");
        await using var hung = await CgminerSimulatorProcess.StartAsync("--name", "sim2");
        await hung.Control.PutAsync("faults/hang", null);
        await using var scenario = new Scenario(MinerIni("sim1", healthy.ApiPort) + MinerIni("sim2", hung.ApiPort) + "[cpu]\ninterval = 1\n");
        await scenario.StartAggregatorAsync();
        var agent = scenario.StartAgent();

        var dead = await scenario.WaitForHostAsync("sim2", h => h["values"]?["api_ok"]?.GetValue<bool>() == false, Patience, $"sim2's timeout frame. Agent:\n{agent.Output}");
        var error = dead["values"]!["error"]!;
        Assert.Equal(("timeout", "asccount"), (error["kind"]!.GetValue<string>(), error["command"]!.GetValue<string>()));
        Assert.Equal($"no complete reply from 127.0.0.1:{hung.ApiPort} within 2 s", error["message"]!.GetValue<string>());

        // While sim2 hangs every poll for 2 s, sim1 (every 1 s) and the host's cpu (every 1 s) keep coming, fresh.
        var first = Scenario.Number((await scenario.WaitForHostAsync("sim1", h => h["values"]?["summary"] is not null, Patience, "sim1"))["values"]!["summary"]!["Elapsed"]);
        var later = await scenario.WaitForHostAsync("sim1", h => Scenario.Number(h["values"]?["summary"]?["Elapsed"]) >= first + 3, Patience, "sim1 three seconds later");
        Assert.False(later["reporters"]!["cgminer"]!["stale"]!.GetValue<bool>());
        var host = (await scenario.GetJsonAsync($"/api/hosts/{Dns.GetHostName()}"))!;
        Assert.False(host["reporters"]!["cpu"]!["stale"]!.GetValue<bool>());
        Assert.Equal("up", (await scenario.GetJsonAsync("/api/hosts/sim2"))!["state"]!.GetValue<string>());
    }

    [Fact]
    public async Task Once_polls_every_enabled_miner_after_the_host_and_exits_1_when_one_does_not_answer()
    {
        await using var simulator = await CgminerSimulatorProcess.StartAsync("--name", "sim1");
        using var dir = new TempDir();
        var config = dir.File("psistats.ini");
        await File.WriteAllTextAsync(config, MinerIni("sim1", simulator.ApiPort) + MinerIni("gone", ClosedPort()) + "[cgminer:off]\nhost = 127.0.0.1\nenabled = no\n");

        var (exitCode, output) = await ProgramProcess.RunAsync(RepoPaths.Program("Agent", "psistats-agent"), ["--once", "--config", config], TimeSpan.FromSeconds(60));

        Assert.Equal(1, exitCode);
        var lines = output.Split('\n').Where(l => l.StartsWith('{')).ToList();
        var frames = lines.Select(l => JsonNode.Parse(l)!).ToList();
        // The host's frames first, then the miners in section-name order; the disabled one is not polled.
        Assert.Equal(["gone", "sim1"], frames.SkipWhile(f => f["reporter"]!.GetValue<string>() != "cgminer").Select(f => f["hostname"]!.GetValue<string>()));
        Assert.Equal("refused", frames[^2]["error"]!["kind"]!.GetValue<string>());
        Assert.True(frames[^1]["api_ok"]!.GetValue<bool>());
        Assert.Contains("Reporter cgminer:gone failed", output, StringComparison.Ordinal);
        Assert.Contains($"{lines.Count} frames valid", await WireFormatTests.ValidateAsync(lines), StringComparison.Ordinal);
    }
}
