using System.Formats.Tar;
using System.IO.Compression;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Psistats.Aggregator.Remediation;
using Psistats.Aggregator.Remediation.Ssh;
using Psistats.Aggregator.Rules;
using Psistats.Aggregator.Storage;
using Psistats.Contracts.Configuration;
using Psistats.Contracts.Frames;
using Psistats.IntegrationTests.Notifications;
using Psistats.TestSupport;

namespace Psistats.IntegrationTests.Remediation;

/// <summary>
/// The remediation's watch and runner, for real, without the rest of the aggregator: the cgminer simulator writing its
/// log, a real sshd on loopback playing the miner (scripts/throwaway-sshd.sh), the real OpenSSH client, and the outbox
/// with its dispatcher mailing to a real SMTP server (aiosmtpd writing a Maildir). The whole chain through the broker and
/// the aggregator process is in <c>RemediationTests</c>.
/// </summary>
public sealed class RemediationRunnerSshTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task The_runner_diagnoses_copies_the_log_reboots_once_and_mails_the_bundle()
    {
        await using var world = await World.StartAsync();

        await world.RunAsync(world.Miner());

        var commands = world.Sshd.CommandsLog();
        Assert.Equal(["dmesg", "lsusb", "uptime"], commands.Take(3));
        Assert.Contains(world.SimulatorLog, File.ReadAllText(world.Sshd.SftpLogPath), StringComparison.Ordinal);
        Assert.Single(commands, c => c == "/sbin/reboot");
        var status = JsonNode.Parse(await world.Simulator.Control.GetStringAsync("status"))!;
        Assert.Equal(1, status["reboots"]!.GetValue<int>());

        var mails = await world.Smtp.WaitForMessagesAsync(2, Wait);
        Assert.Equal("[psistats] terraminer: Error, remediation 1 starts (reboot)", mails[0].Subject);
        var report = mails[1];
        Assert.Equal("[psistats] terraminer: Error, reboot sent, log bundle attached (remediation 1)", report.Subject);
        Assert.Contains($"[ok]     reboot: ssh -p {world.Sshd.Port} {world.Sshd.User}@127.0.0.1 /sbin/reboot: ok", report.Body, StringComparison.Ordinal);
        var attachment = Assert.Single(report.Attachments);
        Assert.EndsWith(".tar.gz", attachment.Name, StringComparison.Ordinal);
        var files = ReadTarGz(attachment.Content);
        var log = Assert.Single(files, f => f.Key.Contains("/logs/", StringComparison.Ordinal));
        Assert.Contains("Started cgminer 4.3.5", log.Value, StringComparison.Ordinal);
        Assert.Contains(files, f => f.Key.EndsWith("/diagnostics/03-uptime.txt", StringComparison.Ordinal) && f.Value.Contains("load average", StringComparison.Ordinal));
        Assert.Equal(RemediationStore.Done, Assert.Single(world.Store.Runs("terraminer")).State);
    }

    [Fact]
    public async Task With_the_sshd_down_every_ssh_step_fails_as_refused_nothing_crashes_and_the_email_says_so()
    {
        await using var world = await World.StartAsync();
        world.Sshd.Stop();

        await world.RunAsync(world.Miner());

        var report = (await world.Smtp.WaitForMessagesAsync(2, Wait))[1];
        Assert.Equal("[psistats] terraminer: Error, reboot FAILED, log bundle attached (remediation 1)", report.Subject);
        Assert.Contains("What was done (", report.Body, StringComparison.Ordinal);
        Assert.Contains($"[FAILED] reboot: ssh -p {world.Sshd.Port} {world.Sshd.User}@127.0.0.1 /sbin/reboot: refused", report.Body, StringComparison.Ordinal);
        Assert.Contains("[FAILED] copy: scp", report.Body, StringComparison.Ordinal);
        var failures = world.Events().Where(e => e.Severity == "warning").Select(e => e.Instance).ToList();
        Assert.Equal(["diagnostics", "diagnostics", "diagnostics", "copy", "reboot"], failures);
        Assert.Equal("cooldown", world.Watch.Status(DateTimeOffset.UtcNow).Single().State);
    }

    [Fact]
    public async Task A_wrong_host_key_is_refused_before_any_command_runs_and_reported()
    {
        await using var world = await World.StartAsync();
        var miner = world.Miner() with { KnownHostsFile = world.Sshd.WriteWrongKnownHosts(Path.Combine(world.Directory, "known_hosts.wrong")) };

        await world.RunAsync(miner);

        var report = (await world.Smtp.WaitForMessagesAsync(2, Wait))[1];
        Assert.Contains("host_key_mismatch", report.Body, StringComparison.Ordinal);
        Assert.Empty(world.Sshd.CommandsLog());
        var status = JsonNode.Parse(await world.Simulator.Control.GetStringAsync("status"))!;
        Assert.Equal(0, status["reboots"]!.GetValue<int>());
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

    /// <summary>The simulator, the sshd in front of it, the SMTP server, and the remediation over one state database.</summary>
    private sealed class World : IAsyncDisposable
    {
        private readonly TempDir _dir;
        private readonly NotificationRig _rig;

        private World(TempDir dir, CgminerSimulatorProcess simulator, ThrowawaySshd sshd, SmtpServer smtp, NotificationRig rig)
        {
            _dir = dir;
            Simulator = simulator;
            Sshd = sshd;
            Smtp = smtp;
            _rig = rig;
            Alerts = new AlertStore(rig.Db);
            Store = new RemediationStore(rig.Db);
        }

        public CgminerSimulatorProcess Simulator { get; }

        public ThrowawaySshd Sshd { get; }

        public SmtpServer Smtp { get; }

        public AlertStore Alerts { get; }

        public RemediationStore Store { get; }

        public MinerWatch Watch { get; private set; } = null!;

        public CapturingLoggerProvider Logs { get; } = new();

        public string Directory => _dir.Path;

        public string SimulatorLog => _dir.File("cgminer.log");

        public static async Task<World> StartAsync()
        {
            var dir = new TempDir();
            var simulator = await CgminerSimulatorProcess.StartAsync("--name", "terraminer", "--log-file", dir.File("cgminer.log"), "--reboot-delay", "2");
            var sshd = ThrowawaySshd.StartNew(simulator.ApiPort, simulator.ControlPort);
            var smtp = await SmtpServer.StartAsync();
            var rig = new NotificationRig(NotificationRig.WithEmail(smtp.Port));
            await rig.StartAsync();
            return new World(dir, simulator, sshd, smtp, rig);
        }

        public MinerOptions Miner() => new()
        {
            Name = "terraminer",
            Host = Sshd.Host,
            Port = Sshd.Port,
            User = Sshd.User,
            IdentityFile = Sshd.IdentityFile,
            KnownHostsFile = Sshd.KnownHostsFile,
            LogFiles = [SimulatorLog],
            SshTimeout = TimeSpan.FromSeconds(20),
        };

        /// <summary>Three error polls of <paramref name="miner"/>, then the run the watch decided, to its end.</summary>
        public async Task RunAsync(MinerOptions miner)
        {
            var options = new RemediationOptions { WorkDir = _dir.File("work"), Miners = [miner] };
            var rules = RuleSet.Read(new SettingsReader(new ConfigurationBuilder().Build()), ["email"]);
            Watch = new MinerWatch(options, Store, Alerts, rules, TimeProvider.System, Logs.CreateLogger<MinerWatch>());
            var frame = """{"hostname":"terraminer","reporter":"cgminer","interval":30,"api_ok":true,"boards":[{"ID":"CTA1","Dies":8,"DiesActive":7}]}""";
            Assert.Equal(FrameRejection.None, FrameEnvelope.TryParse(Encoding.UTF8.GetBytes(frame), 1 << 20, out var envelope, out _));
            for (var i = 0; i < miner.MaxErrors; i++)
            {
                Watch.Observe(envelope!, PollKind.Error, ["cointerra_dies_lost CTA1: 7 < 8"], DateTimeOffset.UtcNow);
            }

            Assert.True(Watch.Plans.TryRead(out var plan));
            var buffer = new MinerLogBuffer(options, TimeProvider.System);
            using var factory = LoggerFactory.Create(b => b.AddProvider(buffer).AddProvider(Logs));
            var runner = new RemediationRunner(Watch, Store, _rig.Policy, new OpenSshClient(), buffer, options, TimeProvider.System,
                factory.CreateLogger<RemediationRunner>());
            await runner.RunAsync(plan!, CancellationToken.None);
        }

        public IReadOnlyList<StoredEvent> Events() => Alerts.Events(new EventQuery { Kind = RemediationEvents.Kind, Limit = 1000 });

        public async ValueTask DisposeAsync()
        {
            await _rig.DisposeAsync();
            Smtp.Dispose();
            Sshd.Dispose();
            await Simulator.DisposeAsync();
            _dir.Dispose();
        }
    }
}
