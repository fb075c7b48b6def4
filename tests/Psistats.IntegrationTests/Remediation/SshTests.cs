using System.Text.Json;
using Psistats.Aggregator.Remediation.Ssh;
using Psistats.TestSupport;

namespace Psistats.IntegrationTests.Remediation;

/// <summary>
/// <see cref="OpenSshClient"/> against a real sshd (<see cref="ThrowawaySshd"/>, scripts/throwaway-sshd.sh) whose forced
/// command drives a real cgminer simulator: commands, scp, every failure the remediation must survive, timeouts, reboot.
/// </summary>
public sealed class SshTests : IAsyncLifetime
{
    private static readonly TimeSpan StepTimeout = TimeSpan.FromSeconds(30);
    private readonly TempDir _dir = new();
    private readonly OpenSshClient _client = new();
    private CgminerSimulatorProcess _simulator = null!;
    private ThrowawaySshd _sshd = null!;

    private string LogFile => _dir.File("cgminer.log");

    private SshTarget Target => new(_sshd.Host, _sshd.Port, _sshd.User, _sshd.IdentityFile, _sshd.KnownHostsFile) { ConnectTimeout = TimeSpan.FromSeconds(5) };

    public async Task InitializeAsync()
    {
        _simulator = await CgminerSimulatorProcess.StartAsync("--allow-privileged", "--reboot-delay", "60", "--log-file", LogFile);
        _sshd = ThrowawaySshd.StartNew(_simulator.ApiPort, _simulator.ControlPort);
    }

    public async Task DisposeAsync()
    {
        _sshd.Dispose();
        await _simulator.DisposeAsync();
        _dir.Dispose();
    }

    [Fact]
    public async Task A_diagnostic_runs_and_its_output_comes_back()
    {
        var outcome = await _client.RunAsync(Target, "uptime", StepTimeout, CancellationToken.None);

        Assert.True(outcome.Succeeded, outcome.Describe());
        Assert.Equal(0, outcome.ExitCode);
        Assert.Contains("load average", outcome.Stdout, StringComparison.Ordinal);
        Assert.False(outcome.TimedOut);
        Assert.Equal($"ssh -p {_sshd.Port} {_sshd.User}@127.0.0.1 uptime: ok", outcome.Describe()[..outcome.Describe().IndexOf(" (", StringComparison.Ordinal)]);
        Assert.Equal(["uptime"], _sshd.CommandsLog());
    }

    [Fact]
    public async Task A_failing_remote_command_is_a_remote_exit_with_its_code_and_stderr()
    {
        var failing = await _client.RunAsync(Target, "echo 'no dies' >&2; exit 3", StepTimeout, CancellationToken.None);
        var missing = await _client.RunAsync(Target, "no-such-diagnostic", StepTimeout, CancellationToken.None);

        Assert.Equal(SshFailure.RemoteExit, failing.Failure);
        Assert.Equal(3, failing.ExitCode);
        Assert.Equal("no dies\n", failing.Stderr);
        Assert.Equal("no dies", failing.Detail);
        Assert.Equal(SshFailure.RemoteExit, missing.Failure);
        Assert.Equal(127, missing.ExitCode);
        Assert.Contains("not found", missing.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Scp_copies_the_miner_log()
    {
        var local = _dir.File("copied.log");

        var outcome = await _client.CopyAsync(Target, LogFile, local, StepTimeout, CancellationToken.None);

        Assert.True(outcome.Succeeded, outcome.Describe());
        Assert.Equal(File.ReadAllText(LogFile), File.ReadAllText(local));
        Assert.Contains("Started cgminer 4.3.5", File.ReadAllText(local), StringComparison.Ordinal);
        Assert.Equal(["internal-sftp"], _sshd.CommandsLog());
        Assert.Contains($"open \"{LogFile}\" flags READ", File.ReadAllText(_sshd.SftpLogPath), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Scp_of_a_missing_log_is_missing_file()
    {
        var local = _dir.File("none.log");

        var outcome = await _client.CopyAsync(Target, "/var/log/no-such-cgminer.log", local, StepTimeout, CancellationToken.None);

        Assert.Equal(SshFailure.MissingFile, outcome.Failure);
        Assert.Equal(1, outcome.ExitCode);
        Assert.Equal("scp: /var/log/no-such-cgminer.log: No such file or directory", outcome.Detail);
        Assert.False(File.Exists(local));
    }

    [Fact]
    public async Task With_sshd_down_every_step_is_refused_and_nothing_throws()
    {
        _sshd.Stop();

        var run = await _client.RunAsync(Target, "uptime", StepTimeout, CancellationToken.None);
        var copy = await _client.CopyAsync(Target, LogFile, _dir.File("copied.log"), StepTimeout, CancellationToken.None);

        Assert.Equal(SshFailure.Refused, run.Failure);
        Assert.Equal(255, run.ExitCode);
        Assert.Equal($"ssh: connect to host 127.0.0.1 port {_sshd.Port}: Connection refused", run.Detail);
        Assert.Equal(SshFailure.Refused, copy.Failure);

        _sshd.Start();
        Assert.True((await _client.RunAsync(Target, "uptime", StepTimeout, CancellationToken.None)).Succeeded);
        Assert.Equal(["uptime"], _sshd.CommandsLog());
    }

    [Fact]
    public async Task A_changed_host_key_is_host_key_mismatch_and_no_command_runs()
    {
        var target = Target with { KnownHostsFile = _sshd.WriteWrongKnownHosts(_dir.File("known_hosts.wrong")) };

        var run = await _client.RunAsync(target, "/sbin/reboot", StepTimeout, CancellationToken.None);
        var copy = await _client.CopyAsync(target, LogFile, _dir.File("copied.log"), StepTimeout, CancellationToken.None);
        var tofu = await _client.RunAsync(target with { AcceptNewHostKey = true }, "/sbin/reboot", StepTimeout, CancellationToken.None);

        Assert.Equal(SshFailure.HostKeyMismatch, run.Failure);
        Assert.Contains("has changed", run.Detail, StringComparison.Ordinal);
        Assert.Contains("REMOTE HOST IDENTIFICATION HAS CHANGED", run.Stderr, StringComparison.Ordinal);
        Assert.Equal(SshFailure.HostKeyMismatch, copy.Failure);
        Assert.Equal(SshFailure.HostKeyMismatch, tofu.Failure);
        Assert.Empty(_sshd.CommandsLog());
        Assert.Equal("running", (await StatusAsync()).GetProperty("state").GetString());
    }

    [Fact]
    public async Task An_unknown_host_key_is_refused_unless_trust_on_first_use_is_asked_for()
    {
        var knownHosts = _dir.File("known_hosts.new");
        var target = Target with { KnownHostsFile = knownHosts };

        var strict = await _client.RunAsync(target, "uptime", StepTimeout, CancellationToken.None);
        var firstUse = await _client.RunAsync(target with { AcceptNewHostKey = true }, "uptime", StepTimeout, CancellationToken.None);
        var thereafter = await _client.RunAsync(target, "uptime", StepTimeout, CancellationToken.None);

        Assert.Equal(SshFailure.UnknownHostKey, strict.Failure);
        Assert.Equal($"No ED25519 host key is known for [127.0.0.1]:{_sshd.Port} and you have requested strict checking.", strict.Detail);
        Assert.True(firstUse.Succeeded, firstUse.Describe());
        Assert.Contains("Permanently added", firstUse.Stderr, StringComparison.Ordinal);
        Assert.Equal(File.ReadAllText(_sshd.KnownHostsFile), File.ReadAllText(knownHosts));
        Assert.True(thereafter.Succeeded, thereafter.Describe());
        Assert.Equal(["uptime", "uptime"], _sshd.CommandsLog());
    }

    [Fact]
    public async Task A_key_the_miner_does_not_know_is_auth_failed()
    {
        var outcome = await _client.RunAsync(Target with { IdentityFile = _dir.File("no-such-key") }, "uptime", StepTimeout, CancellationToken.None);

        Assert.Equal(SshFailure.AuthFailed, outcome.Failure);
        Assert.Equal($"{_sshd.User}@127.0.0.1: Permission denied (publickey).", outcome.Detail);
    }

    [Fact]
    public async Task A_step_outliving_its_timeout_is_killed_with_its_process_tree()
    {
        var run = await _client.RunAsync(Target, "sleep 30", TimeSpan.FromSeconds(2), CancellationToken.None);

        Assert.True(run.TimedOut);
        Assert.Equal(SshFailure.Timeout, run.Failure);
        Assert.Null(run.ExitCode);
        Assert.InRange(run.Duration, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(10));
        Assert.StartsWith($"ssh -p {_sshd.Port} {_sshd.User}@127.0.0.1 sleep 30: timeout (killed after ", run.Describe(), StringComparison.Ordinal);
        Assert.Empty(ClientProcesses());
        Assert.Equal(["sleep 30"], _sshd.CommandsLog());
    }

    [Fact]
    public async Task A_copy_outliving_its_timeout_is_killed_with_scp_and_its_ssh()
    {
        _sshd.DelaySftp(TimeSpan.FromSeconds(30));

        var copy = await _client.CopyAsync(Target, LogFile, _dir.File("copied.log"), TimeSpan.FromSeconds(2), CancellationToken.None);

        Assert.True(copy.TimedOut);
        Assert.Equal(SshFailure.Timeout, copy.Failure);
        Assert.Null(copy.ExitCode);
        Assert.Empty(ClientProcesses());
        Assert.Equal(["internal-sftp"], _sshd.CommandsLog());
    }

    [Fact]
    public async Task The_reboot_command_reboots_the_simulated_miner_once()
    {
        var reboot = await _client.RunAsync(Target, "/sbin/reboot", StepTimeout, CancellationToken.None);

        Assert.True(reboot.Succeeded, reboot.Describe());
        var status = await StatusAsync();
        Assert.Equal("rebooting", status.GetProperty("state").GetString());
        Assert.Equal(1, status.GetProperty("reboots").GetInt32());

        var again = await _client.RunAsync(Target, "/sbin/reboot", StepTimeout, CancellationToken.None);
        Assert.Equal(SshFailure.RemoteExit, again.Failure);
        Assert.Equal(1, again.ExitCode);
        Assert.Contains("409", again.Detail, StringComparison.Ordinal);
        Assert.Equal(1, (await StatusAsync()).GetProperty("reboots").GetInt32());
    }

    [Fact]
    public async Task The_restart_command_restarts_cgminer_through_its_api()
    {
        var restart = await _client.RunAsync(Target, "/etc/init.d/S99cgminer restart", StepTimeout, CancellationToken.None);

        Assert.True(restart.Succeeded, restart.Describe());
        Assert.Contains("\"STATUS\":\"RESTART\"", restart.Stdout, StringComparison.Ordinal);
        await _simulator.Process.WaitForLineAsync("API: restart requested", TimeSpan.FromSeconds(10));
        Assert.Equal("running", (await StatusAsync()).GetProperty("state").GetString());
    }

    [Fact]
    public async Task A_remediation_sequence_is_seen_by_sshd_once_per_step()
    {
        var steps = new List<SshOutcome>();
        foreach (var diagnostic in new[] { "uptime", "lsusb", "no-such-diagnostic" })
        {
            steps.Add(await _client.RunAsync(Target, diagnostic, StepTimeout, CancellationToken.None));
        }

        steps.Add(await _client.CopyAsync(Target, LogFile, _dir.File("copied.log"), StepTimeout, CancellationToken.None));
        steps.Add(await _client.RunAsync(Target, "/sbin/reboot", StepTimeout, CancellationToken.None));

        Assert.Equal(["uptime", "lsusb", "no-such-diagnostic", "internal-sftp", "/sbin/reboot"], _sshd.CommandsLog());
        Assert.True(steps[0].Succeeded && steps[3].Succeeded && steps[4].Succeeded, string.Join('\n', steps.Select(s => s.Describe())));
        Assert.Equal(127, steps[2].ExitCode);
        Assert.Equal(1, (await StatusAsync()).GetProperty("reboots").GetInt32());
    }

    private async Task<JsonElement> StatusAsync() =>
        JsonDocument.Parse(await _simulator.Control.GetStringAsync("status")).RootElement.Clone();

    // ssh or scp processes still running against this test's sshd (their command line names its port).
    private List<string> ClientProcesses()
    {
        var port = _sshd.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var found = new List<string>();
        foreach (var dir in Directory.GetDirectories("/proc").Where(d => int.TryParse(Path.GetFileName(d), out _)))
        {
            string[] argv;
            try
            {
                argv = File.ReadAllText(Path.Combine(dir, "cmdline")).Split('\0');
            }
            catch (IOException)
            {
                continue;
            }
            catch (UnauthorizedAccessException)
            {
                continue;
            }

            if (argv.Length > 1 && Path.GetFileName(argv[0]) is "ssh" or "scp" && argv.Contains(port))
            {
                found.Add(string.Join(' ', argv));
            }
        }

        return found;
    }
}
