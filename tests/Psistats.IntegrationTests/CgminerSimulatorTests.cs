using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Psistats.TestSupport;

namespace Psistats.IntegrationTests;

/// <summary>The cgminer simulator as users and the demo run it: command line, API port, control port, reboot.</summary>
public sealed class CgminerSimulatorTests
{
    private static readonly string[] FaultNames =
    [
        "die-inactive", "asic-sick", "asic-dead", "asic-disabled", "high-rejects", "temp-climb", "pool-dead",
        "refuse", "slow", "hang", "truncated", "invalid-json", "brace-quirk", "no-nul",
    ];

    private static JsonElement Json(string text) => JsonDocument.Parse(text).RootElement.Clone();

    private static async Task<JsonElement> JsonAsync(HttpResponseMessage response) => Json(await response.Content.ReadAsStringAsync());

    [Fact]
    public async Task Help_describes_the_command_line_the_control_api_and_every_fault()
    {
        var (exitCode, output) = await ProgramProcess.RunAsync(CgminerSimulatorProcess.Dll, ["--help"], TimeSpan.FromSeconds(30));

        Assert.Equal(0, exitCode);
        foreach (var text in new[] { "--port", "--control-port", "--listen", "--name", "--reboot-delay", "--log-file", "--seed", "--allow-privileged",
                     "/faults/NAME", "/reboot", "/status", "curl" }.Concat(FaultNames))
        {
            Assert.Contains(text, output, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_bad_option_exits_2_and_a_busy_port_exits_1()
    {
        var (badCode, badOutput) = await ProgramProcess.RunAsync(CgminerSimulatorProcess.Dll, ["--port", "x"], TimeSpan.FromSeconds(30));
        Assert.Equal(2, badCode);
        Assert.Contains("--port", badOutput, StringComparison.Ordinal);

        using var busy = new TcpListener(IPAddress.Loopback, 0);
        busy.Start();
        var port = ((IPEndPoint)busy.LocalEndpoint).Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var (busyCode, busyOutput) = await ProgramProcess.RunAsync(CgminerSimulatorProcess.Dll, ["--port", port, "--control-port", "0"], TimeSpan.FromSeconds(30));
        Assert.Equal(1, busyCode);
        Assert.Contains($"cannot listen on 127.0.0.1:{port}", busyOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task It_answers_cgminer_requests_and_faults_switch_while_it_runs()
    {
        using var dir = new TempDir();
        await using var simulator = await CgminerSimulatorProcess.StartAsync("--name", "rig9", "--log-file", dir.File("cgminer.log"));
        Assert.Equal("rig9", simulator.Name);
        var summary = Json(await simulator.AskAsync("""{"command":"summary"}"""));
        Assert.Equal(11, summary.GetProperty("STATUS")[0].GetProperty("Code").GetInt32());
        Assert.StartsWith("STATUS=S,", await simulator.AskAsync("stats"), StringComparison.Ordinal);

        var on = await simulator.Control.PutAsync("faults/asic-sick", null);
        Assert.Equal(HttpStatusCode.OK, on.StatusCode);
        Assert.True((await JsonAsync(on)).GetProperty("on").GetBoolean());
        var asc = Json(await simulator.AskAsync("""{"command":"asc","parameter":"0"}""")).GetProperty("ASC")[0];
        Assert.Equal("Sick", asc.GetProperty("Status").GetString());

        var faults = await JsonAsync(await simulator.Control.GetAsync("faults"));
        Assert.Equal(FaultNames, faults.EnumerateArray().Select(f => f.GetProperty("name").GetString()));
        Assert.Equal(["asic-sick"], faults.EnumerateArray().Where(f => f.GetProperty("on").GetBoolean()).Select(f => f.GetProperty("name").GetString()));

        Assert.Equal(HttpStatusCode.OK, (await simulator.Control.DeleteAsync("faults/asic-sick")).StatusCode);
        asc = Json(await simulator.AskAsync("""{"command":"asc","parameter":"0"}""")).GetProperty("ASC")[0];
        Assert.Equal("Alive", asc.GetProperty("Status").GetString());

        var unknown = await simulator.Control.PutAsync("faults/smoke", null);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Contains("valid faults: die-inactive", (await JsonAsync(unknown)).GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, (await simulator.Control.PutAsync("faults/slow?seconds=0", null)).StatusCode);

        Assert.Equal(HttpStatusCode.OK, (await simulator.Control.PutAsync("faults/slow?seconds=1", null)).StatusCode);
        var clock = Stopwatch.StartNew();
        await simulator.AskAsync("summary");
        Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(0.9), $"answered after {clock.Elapsed}");
        Assert.Equal(HttpStatusCode.OK, (await simulator.Control.DeleteAsync("faults")).StatusCode);

        var log = await File.ReadAllTextAsync(dir.File("cgminer.log"));
        Assert.Contains("API: recv command: (21) '{\"command\":\"summary\"}'", log, StringComparison.Ordinal);
        Assert.Contains("Simulator: fault asic-sick on", log, StringComparison.Ordinal);
        Assert.Matches(@"^ \[\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\] ", log);

        Assert.Equal(0, await simulator.StopAsync());
    }

    [Fact]
    public async Task A_reboot_refuses_connections_then_the_miner_comes_back_healthy()
    {
        await using var simulator = await CgminerSimulatorProcess.StartAsync("--reboot-delay", "2");
        await simulator.Control.PutAsync("faults/asic-dead", null);
        await Task.Delay(TimeSpan.FromSeconds(1.5));

        var reboot = await simulator.Control.PostAsync("reboot", null);

        Assert.Equal(HttpStatusCode.Accepted, reboot.StatusCode);
        Assert.Equal("rebooting", (await JsonAsync(reboot)).GetProperty("state").GetString());
        var refused = await Assert.ThrowsAsync<SocketException>(() => simulator.AskRawAsync("summary"));
        Assert.Equal(SocketError.ConnectionRefused, refused.SocketErrorCode);
        Assert.Equal(HttpStatusCode.Conflict, (await simulator.Control.PutAsync("faults/hang", null)).StatusCode);

        var summary = await Eventually.ValueAsync(async () => await simulator.AskAsync("""{"command":"summary"}"""), TimeSpan.FromSeconds(15), "the API back");
        Assert.InRange(Json(summary).GetProperty("SUMMARY")[0].GetProperty("Elapsed").GetInt32(), 0, 2);
        var status = await JsonAsync(await simulator.Control.GetAsync("status"));
        Assert.Equal("running", status.GetProperty("state").GetString());
        Assert.Equal(1, status.GetProperty("reboots").GetInt32());
        Assert.Equal(0, status.GetProperty("faults").GetArrayLength());
        Assert.Contains("Status=Alive", await simulator.AskAsync("asc|1"), StringComparison.Ordinal);
    }
}
