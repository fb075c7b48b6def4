using System.Formats.Tar;
using System.IO.Compression;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Psistats.TestSupport;

namespace Psistats.IntegrationTests.Remediation;

/// <summary>
/// Issue 6 end to end: the cgminer simulator -> a proxy agent -> the real broker -> the real aggregator process (rules,
/// remediation watch and runner) -> a real sshd on loopback playing the miner (scripts/throwaway-sshd.sh, whose forced
/// command turns /sbin/reboot into the simulator's reboot) -> email with the log bundle in a real SMTP server's Maildir.
/// The agent polls every second, so max_errors (3) error polls take about three seconds.
/// </summary>
public sealed class RemediationTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_lost_die_is_diagnosed_its_log_copied_the_miner_rebooted_once_the_bundle_mailed_and_the_resolve_notice_sent()
    {
        await using var rig = await Rig.StartAsync();
        await rig.SwitchOnAsync("terraminer", "die-inactive");

        var report = await rig.WaitForMailAsync(m => m.Subject.Contains("terraminer: Error, reboot sent", StringComparison.Ordinal), "the remediation report");
        var commands = rig.Sshd.CommandsLog();
        Assert.Equal(["dmesg", "lsusb", "uptime"], commands.Where(c => c is "dmesg" or "lsusb" or "uptime"));
        Assert.True(commands.ToList().IndexOf("uptime") < commands.ToList().IndexOf("/sbin/reboot"), string.Join(" | ", commands));
        Assert.Single(commands, c => c == "/sbin/reboot");
        Assert.Contains(rig.SimulatorLog("terraminer"), File.ReadAllText(rig.Sshd.SftpLogPath), StringComparison.Ordinal);
        Assert.Contains("cointerra_dies_lost", report.Body, StringComparison.Ordinal);
        Assert.Contains("Last good stats", report.Body, StringComparison.Ordinal);
        var bundle = ReadTarGz(Assert.Single(report.Attachments, a => a.Name?.EndsWith(".tar.gz", StringComparison.Ordinal) == true).Content);
        var log = Assert.Single(bundle, f => f.Key.Contains("/logs/", StringComparison.Ordinal));
        Assert.Contains("Simulator: fault die-inactive on", log.Value, StringComparison.Ordinal);
        Assert.Contains(bundle.Keys, k => k.EndsWith("/frames/last-good.json", StringComparison.Ordinal));
        Assert.Contains(bundle, f => f.Key.EndsWith("/aggregator.log", StringComparison.Ordinal) && f.Value.Contains("terraminer: error poll", StringComparison.Ordinal));

        await rig.WaitForMailAsync(m => m.Subject.Contains("RESOLVED", StringComparison.Ordinal) && m.Subject.Contains("cointerra_dies_lost", StringComparison.Ordinal),
            "the resolve notice of cointerra_dies_lost once the miner is back");
        await rig.Scenario.WaitForHostAsync("terraminer", h => h["values"]?["api_ok"]?.GetValue<bool>() == true, Wait, "the miner healthy after its reboot");
        var steps = await rig.RemediationEventsAsync("terraminer");
        Assert.Contains(steps, e => e["instance"]!.GetValue<string>() == "reboot" && e["severity"]!.GetValue<string>() == "info");
        Assert.Contains(steps, e => e["instance"]!.GetValue<string>() == "cooldown");
        Assert.Equal(1, rig.Reboots());
        Assert.Equal(1, await rig.SimulatorRebootsAsync("terraminer"));
    }

    [Fact]
    public async Task A_hot_miner_gets_a_warning_email_no_reboot_and_no_repeat_before_the_repeat_interval()
    {
        // The simulator's cores run at 64..75 C: with the threshold at 60 the warning holds from the first poll.
        await using var rig = await Rig.StartAsync(extraIni: "[rule:cointerra_core_temp]\nthreshold = 60\n");

        var warning = await rig.WaitForMailAsync(m => m.Body.Contains("cointerra_core_temp", StringComparison.Ordinal), "the warning email");
        await Task.Delay(TimeSpan.FromSeconds(8));

        Assert.Contains("warning", warning.Subject + warning.Body, StringComparison.Ordinal);
        Assert.Single(rig.Smtp.Messages(), m => m.Body.Contains("cointerra_core_temp", StringComparison.Ordinal));
        Assert.Empty(rig.Sshd.CommandsLog());
        Assert.Empty(await rig.RemediationEventsAsync("terraminer"));
        Assert.Equal(0, await rig.SimulatorRebootsAsync("terraminer"));
    }

    [Fact]
    public async Task With_a_restart_command_the_restart_comes_first_and_as_the_fault_persists_the_next_remediation_reboots()
    {
        await using var rig = await Rig.StartAsync(minerIni: "restart_command = /etc/init.d/S99cgminer restart\n", cooldownSeconds: 6, allowPrivileged: true);
        await rig.SwitchOnAsync("terraminer", "die-inactive");

        await Eventually.TrueAsync(() => rig.Reboots() == 1, Wait, $"a reboot after the restart. Commands: {string.Join(" | ", rig.Sshd.CommandsLog())}");

        var actions = rig.Sshd.CommandsLog().Where(c => c is "/etc/init.d/S99cgminer restart" or "/sbin/reboot").ToList();
        Assert.Equal(["/etc/init.d/S99cgminer restart", "/sbin/reboot"], actions);
        await rig.WaitForMailAsync(m => m.Subject.Contains("terraminer: Error, restart sent", StringComparison.Ordinal), "the restart's report");
        var reboot = await rig.WaitForMailAsync(m => m.Subject.Contains("terraminer: Error, reboot sent", StringComparison.Ordinal), "the reboot's report");
        Assert.Contains("did not heal it", reboot.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_max_reboots_reached_there_is_no_further_reboot_and_one_critical_alert_asks_for_a_person()
    {
        await using var rig = await Rig.StartAsync(minerIni: "max_reboots = 1\n", cooldownSeconds: 6);
        await rig.SwitchOnAsync("terraminer", "die-inactive");
        await Eventually.TrueAsync(() => rig.Reboots() == 1, Wait, "the first reboot");
        await rig.WaitUntilRunningAsync("terraminer");

        await rig.SwitchOnAsync("terraminer", "die-inactive");

        var critical = await rig.WaitForMailAsync(m => m.Subject.Contains("remediation_max_reboots", StringComparison.Ordinal), "the critical alert");
        Assert.Contains("critical", critical.Subject, StringComparison.Ordinal);
        Assert.Contains("a person is needed", critical.Body, StringComparison.Ordinal);
        var alerts = (await rig.Scenario.GetJsonAsync("/api/alerts?host=terraminer"))!.AsArray();
        Assert.Contains(alerts, a => a!["rule"]!.GetValue<string>() == "remediation_max_reboots");
        await Task.Delay(TimeSpan.FromSeconds(10));
        Assert.Equal(1, rig.Reboots());
        Assert.Single(rig.Smtp.Messages(), m => m.Subject.Contains("remediation_max_reboots", StringComparison.Ordinal));
    }

    [Fact]
    public async Task With_the_sshd_down_nothing_crashes_and_the_refused_steps_are_recorded_and_mailed()
    {
        await using var rig = await Rig.StartAsync();
        rig.Sshd.Stop();
        await rig.SwitchOnAsync("terraminer", "die-inactive");

        var report = await rig.WaitForMailAsync(m => m.Subject.Contains("terraminer: Error, reboot FAILED", StringComparison.Ordinal), "the report of the failed remediation");

        Assert.Contains("refused", report.Body, StringComparison.Ordinal);
        Assert.Contains("[FAILED] copy: scp", report.Body, StringComparison.Ordinal);
        var failed = (await rig.RemediationEventsAsync("terraminer")).Where(e => e["severity"]!.GetValue<string>() == "warning").ToList();
        Assert.Contains(failed, e => e["instance"]!.GetValue<string>() == "reboot" && e["details"]!.GetValue<string>().Contains("\"failure\":\"refused\"", StringComparison.Ordinal));
        Assert.False(rig.Aggregator.HasExited);
        Assert.Equal(HttpStatusCode.OK, (await rig.Scenario.Http.GetAsync("/healthz")).StatusCode);
    }

    [Fact]
    public async Task With_a_wrong_host_key_no_command_runs_the_mismatch_is_recorded_and_mailed()
    {
        await using var rig = await Rig.StartAsync(knownHosts: sshd => sshd.WriteWrongKnownHosts(Path.Combine(sshd.Directory, "known_hosts.impostor")));
        await rig.SwitchOnAsync("terraminer", "die-inactive");

        var report = await rig.WaitForMailAsync(m => m.Subject.Contains("terraminer: Error, reboot FAILED", StringComparison.Ordinal), "the report of the refused host key");

        Assert.Contains("host_key_mismatch", report.Body, StringComparison.Ordinal);
        Assert.Empty(rig.Sshd.CommandsLog());
        Assert.Equal(0, await rig.SimulatorRebootsAsync("terraminer"));
        Assert.False(rig.Aggregator.HasExited);
    }

    [Fact]
    public async Task An_aggregator_killed_during_the_cooldown_and_restarted_does_not_reboot_the_miner_again()
    {
        // The miner stays down (API refused: error polls) well after the aggregator is back, within the cooldown: only the
        // cooldown kept in SQLite keeps those polls from counting towards a second reboot.
        await using var rig = await Rig.StartAsync(cooldownSeconds: 25, rebootDelaySeconds: 15);
        await rig.SwitchOnAsync("terraminer", "die-inactive");
        await Eventually.TrueAsync(() => rig.Reboots() == 1, Wait, "the reboot");
        await Eventually.ValueAsync(async () => (await rig.RemediationEventsAsync("terraminer")).FirstOrDefault(e => e["instance"]!.GetValue<string>() == "cooldown"),
            Wait, "the cooldown");

        await rig.Aggregator.KillAsync();
        await rig.StartAggregatorAsync();

        await rig.WaitUntilRunningAsync("terraminer");
        await rig.Scenario.WaitForHostAsync("terraminer", h => h["values"]?["api_ok"]?.GetValue<bool>() == true, Wait, "the miner back after its reboot");
        await Task.Delay(TimeSpan.FromSeconds(5));
        Assert.Equal(1, rig.Reboots());
        Assert.Equal(1, await rig.SimulatorRebootsAsync("terraminer"));
    }

    [Fact]
    public async Task When_half_the_miners_fail_at_once_the_fleet_guard_holds_nothing_is_rebooted_and_one_critical_alert_says_so()
    {
        await using var rig = await Rig.StartAsync(miners: ["m1", "m2", "m3", "m4"]);
        await rig.SwitchOnAsync("m1", "refuse");
        await rig.SwitchOnAsync("m2", "refuse");

        var critical = await rig.WaitForMailAsync(m => m.Subject.Contains("remediation_fleet_guard", StringComparison.Ordinal) && m.Subject.Contains("FIRING", StringComparison.Ordinal),
            "the fleet guard's critical alert");
        Assert.Contains("critical", critical.Subject, StringComparison.Ordinal);
        Assert.Contains("2 of 4 miners failing at once (m1, m2)", critical.Body, StringComparison.Ordinal);
        await Task.Delay(TimeSpan.FromSeconds(5));
        Assert.Empty(rig.Sshd.CommandsLog());
        Assert.Single(rig.Smtp.Messages(), m => m.Subject.Contains("remediation_fleet_guard", StringComparison.Ordinal));

        await rig.SwitchOffAsync("m2");
        await rig.WaitForMailAsync(m => m.Subject.Contains("remediation_fleet_guard", StringComparison.Ordinal) && m.Subject.Contains("RESOLVED", StringComparison.Ordinal),
            "the fleet guard's resolve notice");
    }

    [Fact]
    public async Task A_manual_reboot_runs_through_the_same_sequence_and_guards_and_records_who_asked()
    {
        await using var rig = await Rig.StartAsync();
        await rig.Scenario.WaitForHostAsync("terraminer", h => h["values"]?["api_ok"]?.GetValue<bool>() == true, Wait, "the miner's first frame");

        var accepted = await rig.Scenario.Http.PostAsJsonAsync("/api/miners/terraminer/reboot", new { requested_by = "alice" });
        var unknown = await rig.Scenario.Http.PostAsJsonAsync("/api/miners/nope/reboot", new { requested_by = "alice" });
        var again = await rig.Scenario.Http.PostAsJsonAsync("/api/miners/terraminer/reboot", new { requested_by = "bob" });
        var restart = await rig.Scenario.Http.PostAsJsonAsync("/api/miners/terraminer/restart", new { requested_by = "bob" });

        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        Assert.True((await accepted.Content.ReadFromJsonAsync<JsonNode>())!["run"]!.GetValue<long>() > 0);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Contains("terraminer", (await again.Content.ReadFromJsonAsync<JsonNode>())!["error"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Conflict, restart.StatusCode);
        var report = await rig.WaitForMailAsync(m => m.Subject.Contains("terraminer: manual reboot, reboot sent", StringComparison.Ordinal), "the manual run's report");
        Assert.Contains("asked for by alice (127.0.0.1)", report.Body, StringComparison.Ordinal);
        Assert.Equal(1, rig.Reboots());
        var start = (await rig.RemediationEventsAsync("terraminer")).First(e => e["instance"]!.GetValue<string>() == "start");
        Assert.Contains("requested by alice (127.0.0.1)", start["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    private static Dictionary<string, string> ReadTarGz(byte[] bytes)
    {
        var files = new Dictionary<string, string>(StringComparer.Ordinal);
        using var gzip = new GZipStream(new MemoryStream(bytes), CompressionMode.Decompress);
        using var tar = new TarReader(gzip);
        while (tar.GetNextEntry() is { } entry)
        {
            using var reader = new StreamReader(entry.DataStream ?? Stream.Null, Encoding.UTF8);
            files[entry.Name] = reader.ReadToEnd();
        }

        return files;
    }

    /// <summary>
    /// The world of one test: SMTP server, one simulator per miner (each logging to a file), one sshd in front of the first
    /// miner's simulator (every [miner:NAME] logs in there), the scenario's aggregator and a proxy agent polling every miner.
    /// </summary>
    private sealed class Rig : IAsyncDisposable
    {
        private readonly TempDir _logs;
        private readonly Dictionary<string, CgminerSimulatorProcess> _simulators;

        private Rig(TempDir logs, SmtpServer smtp, Dictionary<string, CgminerSimulatorProcess> simulators, ThrowawaySshd sshd, Scenario scenario)
        {
            _logs = logs;
            Smtp = smtp;
            _simulators = simulators;
            Sshd = sshd;
            Scenario = scenario;
        }

        public SmtpServer Smtp { get; }

        public ThrowawaySshd Sshd { get; }

        public Scenario Scenario { get; }

        public ProgramProcess Aggregator { get; private set; } = null!;

        public ProgramProcess Agent { get; private set; } = null!;

        public static async Task<Rig> StartAsync(string minerIni = "", string extraIni = "", string[]? miners = null, bool allowPrivileged = false,
            double rebootDelaySeconds = 3, double cooldownSeconds = 15, Func<ThrowawaySshd, string>? knownHosts = null)
        {
            miners ??= ["terraminer"];
            var logs = new TempDir();
            var smtp = await SmtpServer.StartAsync();
            var simulators = new Dictionary<string, CgminerSimulatorProcess>(StringComparer.Ordinal);
            foreach (var name in miners)
            {
                string[] args = ["--name", name, "--log-file", logs.File($"{name}.log"), "--reboot-delay", rebootDelaySeconds.ToString(System.Globalization.CultureInfo.InvariantCulture)];
                simulators[name] = await CgminerSimulatorProcess.StartAsync(allowPrivileged ? [.. args, "--allow-privileged"] : args);
            }

            var first = simulators[miners[0]];
            var sshd = ThrowawaySshd.StartNew(first.ApiPort, first.ControlPort);
            var knownHostsFile = knownHosts?.Invoke(sshd) ?? sshd.KnownHostsFile;
            var ini = new StringBuilder(smtp.AggregatorIni(digestInterval: 2, repeatInterval: 3600));
            foreach (var name in miners)
            {
                ini.Append($"""
                    [cgminer:{name}]
                    host = 127.0.0.1
                    port = {simulators[name].ApiPort}
                    interval = 1
                    timeout = 1
                    [miner:{name}]
                    host = 127.0.0.1
                    port = {sshd.Port}
                    user = {sshd.User}
                    identity_file = {sshd.IdentityFile}
                    known_hosts_file = {knownHostsFile}
                    log_files = {logs.File($"{name}.log")}
                    ssh_timeout = 20
                    cooldown = {cooldownSeconds}
                    {minerIni}

                    """);
            }

            ini.Append(extraIni);
            var rig = new Rig(logs, smtp, simulators, sshd, new Scenario(ini.ToString()));
            try
            {
                await rig.StartAggregatorAsync();
                rig.Agent = rig.Scenario.StartAgent();
                foreach (var name in miners)
                {
                    await rig.Scenario.WaitForHostAsync(name, h => h["values"]?["api_ok"]?.GetValue<bool>() == true, Wait, $"{name}'s first good poll");
                }
            }
            catch (TimeoutException ex)
            {
                var output = $"{ex.Message}. Agent:\n{rig.Agent?.Output}\nAggregator:\n{rig.Aggregator?.Output}";
                await rig.DisposeAsync();
                throw new TimeoutException(output, ex);
            }

            return rig;
        }

        public async Task StartAggregatorAsync() => Aggregator = await Scenario.StartAggregatorAsync();

        public string SimulatorLog(string miner) => _logs.File($"{miner}.log");

        public async Task SwitchOnAsync(string miner, string fault) =>
            (await _simulators[miner].Control.PutAsync($"faults/{fault}", null)).EnsureSuccessStatusCode();

        public async Task SwitchOffAsync(string miner) =>
            (await _simulators[miner].Control.DeleteAsync("faults")).EnsureSuccessStatusCode();

        /// <summary>
        /// Waits until the simulator has gone through <paramref name="reboots"/> reboots and runs again: the sshd logs a reboot
        /// command before the forced command reaches the simulator, so "running" alone may still be the state before the reboot.
        /// </summary>
        public Task WaitUntilRunningAsync(string miner, int reboots = 1) =>
            Eventually.ValueAsync(async () =>
            {
                var status = JsonNode.Parse(await _simulators[miner].Control.GetStringAsync("status"))!;
                return status["state"]!.GetValue<string>() == "running" && status["reboots"]!.GetValue<int>() >= reboots ? "running" : null;
            }, Wait, $"{miner}'s simulator rebooted {reboots} time(s) and running again");

        public async Task<int> SimulatorRebootsAsync(string miner) =>
            JsonNode.Parse(await _simulators[miner].Control.GetStringAsync("status"))!["reboots"]!.GetValue<int>();

        /// <summary>Reboot commands the sshd received.</summary>
        public int Reboots() => Sshd.CommandsLog().Count(c => c == "/sbin/reboot");

        public async Task<List<JsonNode>> RemediationEventsAsync(string miner) =>
            (await Scenario.GetJsonAsync($"/api/events?kind=remediation&host={miner}&limit=1000"))!.AsArray().Select(e => e!).ToList();

        /// <summary>Waits for a message matching <paramref name="match"/>; on timeout says which messages, SSH commands and aggregator lines there were.</summary>
        public async Task<ReceivedMail> WaitForMailAsync(Func<ReceivedMail, bool> match, string what)
        {
            var deadline = DateTime.UtcNow + Wait;
            while (DateTime.UtcNow < deadline)
            {
                if (Smtp.Messages().FirstOrDefault(match) is { } mail)
                {
                    return mail;
                }

                await Task.Delay(250);
            }

            throw new TimeoutException($"timed out after {Wait.TotalSeconds} s waiting for {what}. Mails: {string.Join(" | ", Smtp.Messages().Select(m => m.Subject))}. "
                + $"SSH commands: {string.Join(" | ", Sshd.CommandsLog())}. Aggregator:\n{Aggregator.Output}");
        }

        public async ValueTask DisposeAsync()
        {
            await Scenario.DisposeAsync();
            Sshd.Dispose();
            foreach (var simulator in _simulators.Values)
            {
                await simulator.DisposeAsync();
            }

            Smtp.Dispose();
            _logs.Dispose();
        }
    }
}
