using System.Net.Mail;
using System.Runtime.Versioning;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Psistats.Aggregator.Notifications;
using Psistats.Aggregator.Remediation;
using Psistats.Aggregator.Remediation.Ssh;
using Psistats.TestSupport;

namespace Psistats.UnitTests.Aggregator.Remediation;

/// <summary>
/// The runner's steps with the real OpenSshClient driving fake <c>ssh</c> and <c>scp</c> programs (shell scripts that log
/// their command and answer like OpenSSH: dmesg output, a refused connection, a copied log, a missing file), the real
/// outbox and policy on a real database, and a fake clock. Real sshd runs are in the integration tests.
/// </summary>
[SupportedOSPlatform("linux")]
public sealed class RemediationRunnerTests : IDisposable
{
    private const string CgminerLog = " [2026-01-01 00:00:00] Started cgminer 4.3.5\n [2026-01-01 00:01:00] ASIC 0 SICK\n";

    private readonly RemediationBed _bed;
    private readonly string _ssh;
    private readonly string _scp;

    public RemediationRunnerTests()
    {
        _bed = new RemediationBed(RemediationBed.Miner("terra01") with
        {
            Diagnostics = ["dmesg", "lsusb", "uptime"],
            LogFiles = ["/var/log/cgminer.log", "/var/log/missing.log"],
        });
        File.WriteAllText(Path.Combine(_bed.Directory, "remote-cgminer.log"), CgminerLog);
        _ssh = FakeProgram("ssh", $$"""
            cmd="${@: -1}"
            echo "$cmd" >> {{_bed.Directory}}/ssh.log
            case "$cmd" in
              dmesg) echo "[    0.000000] Linux version 3.2.0 (simulated)"; echo "[   12.000000] usb 1-1: USB disconnect";;
              lsusb) echo "ssh: connect to host 127.0.0.1 port 22: Connection refused" >&2; exit 255;;
              *) echo "ran: $cmd";;
            esac
            """);
        _scp = FakeProgram("scp", $$"""
            remote="${@: -2:1}"
            local="${@: -1}"
            echo "$remote" >> {{_bed.Directory}}/scp.log
            case "$remote" in
              *:/var/log/cgminer.log) cp {{_bed.Directory}}/remote-cgminer.log "$local";;
              *) echo "scp: ${remote#*:}: No such file or directory" >&2; exit 1;;
            esac
            """);
    }

    public void Dispose() => _bed.Dispose();

    [Fact]
    public async Task Every_step_runs_in_order_failures_do_not_stop_later_steps_and_the_email_carries_the_bundle()
    {
        var outbox = new NotificationOutbox(_bed.Db);
        var (runner, buffer) = Runner(outbox);
        _bed.Poll("terra01", PollKind.Clean);
        _bed.Polls("terra01", PollKind.Error, 3);
        var plan = Assert.Single(_bed.TakePlans());

        await runner.RunAsync(plan, CancellationToken.None);

        Assert.Equal(["dmesg", "lsusb", "uptime", "/sbin/reboot"], File.ReadAllLines(Path.Combine(_bed.Directory, "ssh.log")));
        var steps = _bed.Events().Select(e => (e.Instance, e.Severity)).ToList();
        Assert.Equal(
        [
            ("start", "info"), ("notify", "info"), ("diagnostics", "info"), ("diagnostics", "warning"), ("diagnostics", "info"),
            ("copy", "info"), ("copy", "warning"), ("reboot", "info"), ("bundle", "info"), ("email", "info"), ("cleanup", "info"),
            ("cooldown", "info"),
        ], steps);
        var refused = _bed.Events().Single(e => e.Severity == "warning" && e.Instance == "diagnostics");
        using (var details = JsonDocument.Parse(refused.Details!))
        {
            Assert.Equal(255, details.RootElement.GetProperty("exit_code").GetInt32());
            Assert.Equal("refused", details.RootElement.GetProperty("failure").GetString());
            Assert.Contains("Connection refused", details.RootElement.GetProperty("stderr").GetString(), StringComparison.Ordinal);
            Assert.True(details.RootElement.TryGetProperty("duration_ms", out _));
        }

        var run = Assert.Single(_bed.Store.Runs("terra01"));
        Assert.Equal(("done", 0), (run.State, run.ActionExitCode));
        Assert.NotNull(run.ActionSentAt);
        Assert.Equal("cooldown", _bed.Status("terra01").State);
        Assert.False(Directory.Exists(Path.Combine(_bed.Options.WorkDir, $"run-{plan.RunId}")));

        var rows = outbox.Pending(10);
        Assert.Equal(2, rows.Count);
        Assert.All(rows, r => Assert.Equal((NotificationKinds.Remediation, "email"), (r.Kind, r.Notifier)));
        Assert.Contains("terra01: Error, remediation 1 starts (reboot)", rows[0].Subject, StringComparison.Ordinal);
        var report = rows[1];
        Assert.Contains("terra01: Error, reboot sent, log bundle attached (remediation 1)", report.Subject, StringComparison.Ordinal);
        Assert.Contains("[FAILED] diagnostics: ssh -p 22 root@127.0.0.1 lsusb: refused", report.Body, StringComparison.Ordinal);
        Assert.Contains("[FAILED] copy: scp", report.Body, StringComparison.Ordinal);
        Assert.Contains("missing_file", report.Body, StringComparison.Ordinal);
        Assert.Contains("[ok]     reboot: ssh -p 22 root@127.0.0.1 /sbin/reboot: ok", report.Body, StringComparison.Ordinal);
        Assert.Contains("cointerra_asic_status 0: Sick != Alive", report.Body, StringComparison.Ordinal);
        Assert.Contains("Last good stats (received 2026-01-01T00:00:00Z):", report.Body, StringComparison.Ordinal);
        Assert.Contains("\"hostname\": \"terra01\"", report.Body, StringComparison.Ordinal);

        var attachment = Assert.Single(outbox.Attachments(report.Id));
        Assert.Equal(($"terra01-remediation-1-20260101T000130Z.tar.gz", NotificationAttachment.Gzip), (attachment.Name, attachment.ContentType));
        var files = RemediationBed.ReadTarGz(attachment.Content.ToArray());
        const string Root = "terra01-remediation-1-20260101T000130Z/";
        Assert.Equal(CgminerLog, files[Root + "logs/var_log_cgminer.log"]);
        Assert.Contains("USB disconnect", files[Root + "diagnostics/01-dmesg.txt"], StringComparison.Ordinal);
        Assert.Contains("Connection refused", files[Root + "diagnostics/02-lsusb.txt"], StringComparison.Ordinal);
        Assert.Contains("ran: uptime", files[Root + "diagnostics/03-uptime.txt"], StringComparison.Ordinal);
        Assert.Contains("Remediation 1 of terra01, diagnostics failed", files[Root + "aggregator.log"], StringComparison.Ordinal);
        Assert.Contains("Remediation 1 of terra01", files[Root + "report.txt"], StringComparison.Ordinal);
        using (var good = JsonDocument.Parse(files[Root + "frames/last-good.json"]))
        {
            Assert.Equal("terra01", good.RootElement.GetProperty("frame").GetProperty("hostname").GetString());
        }

        Assert.Equal(3, files.Keys.Count(k => k.StartsWith(Root + "frames/error-", StringComparison.Ordinal)));
        Assert.DoesNotContain(files.Keys, k => k.Contains("missing", StringComparison.Ordinal));
        Assert.NotEmpty(buffer.Lines("terra01"));
    }

    [Fact]
    public async Task A_stopping_aggregator_ends_the_run_as_interrupted_with_its_cooldown_and_no_temporary_files()
    {
        var outbox = new NotificationOutbox(_bed.Db);
        var (runner, _) = Runner(outbox);
        _bed.Polls("terra01", PollKind.Error, 3);
        var plan = Assert.Single(_bed.TakePlans());
        using var cancel = new CancellationTokenSource();
        await cancel.CancelAsync();

        await runner.RunAsync(plan, cancel.Token);

        var run = Assert.Single(_bed.Store.Runs("terra01"));
        Assert.Equal("interrupted", run.State);
        Assert.Null(run.ActionSentAt);
        Assert.Equal("cooldown", _bed.Status("terra01").State);
        Assert.False(Directory.Exists(Path.Combine(_bed.Options.WorkDir, $"run-{plan.RunId}")));
    }

    [Fact]
    public async Task The_service_deletes_leftover_runs_runs_queued_plans_in_the_background_and_ticks_the_watch()
    {
        var leftover = Path.Combine(_bed.Options.WorkDir, "run-99");
        Directory.CreateDirectory(leftover);
        var (runner, _) = Runner(new NotificationOutbox(_bed.Db));
        using var service = new RemediationService(_bed.Watch, runner, _bed.Options, _bed.Clock, NullLogger<RemediationService>.Instance);

        await service.StartAsync(CancellationToken.None);
        await Eventually.TrueAsync(() => !Directory.Exists(leftover), TimeSpan.FromSeconds(30), "the leftover run directory deleted");
        _bed.Polls("terra01", PollKind.Error, 3);

        await Eventually.TrueAsync(() => _bed.Status("terra01").State == "cooldown", TimeSpan.FromSeconds(30), "the run's end");
        Assert.Equal(RemediationStore.Done, Assert.Single(_bed.Store.Runs("terra01")).State);
        await Eventually.TrueAsync(() =>
        {
            _bed.Clock.Advance(TimeSpan.FromSeconds(30));
            return _bed.Logs.Lines.Any(l => l.Contains("terra01: cooldown over", StringComparison.Ordinal));
        }, TimeSpan.FromSeconds(30), "the tick ending the cooldown");
        await service.StopAsync(CancellationToken.None);
    }

    private (RemediationRunner Runner, MinerLogBuffer Buffer) Runner(NotificationOutbox outbox)
    {
        var options = new NotificationOptions
        {
            Email = new EmailOptions { Enabled = true, From = new MailAddress("psistats@example.org"), To = [new MailAddress("ops@example.org")] },
        };
        var buffer = new MinerLogBuffer(_bed.Options, _bed.Clock);
        var factory = LoggerFactory.Create(b => b.AddProvider(buffer));
        var runner = new RemediationRunner(_bed.Watch, _bed.Store, new NotificationPolicy(outbox, options, _bed.Clock), new OpenSshClient(_ssh, _scp),
            buffer, _bed.Options, _bed.Clock, factory.CreateLogger<RemediationRunner>());
        return (runner, buffer);
    }

    private string FakeProgram(string name, string body)
    {
        var path = Path.Combine(_bed.Directory, "fake-" + name);
        File.WriteAllText(path, "#!/bin/bash\n" + body + "\n");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return path;
    }
}
