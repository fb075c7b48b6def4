using System.Runtime.Versioning;
using Psistats.Aggregator.Remediation.Ssh;
using Psistats.TestSupport;

namespace Psistats.UnitTests.Aggregator.Remediation;

/// <summary>The command lines of <see cref="OpenSshClient"/>, its outcomes without ssh, and their one-line descriptions.</summary>
public sealed class OpenSshClientTests : IDisposable
{
    private static readonly SshTarget Target = new("miner1", 2222, "root", "/etc/psistats/miner1.key", "/etc/psistats/known_hosts");
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Ssh_runs_with_batch_mode_the_given_key_and_known_hosts_and_the_command_as_one_argument()
    {
        Assert.Equal(
            [
                "-F", "/dev/null", "-p", "2222", "-i", "/etc/psistats/miner1.key", "-o", "IdentitiesOnly=yes", "-o", "BatchMode=yes",
                "-o", "ConnectTimeout=10", "-o", "StrictHostKeyChecking=yes", "-o", "UserKnownHostsFile=/etc/psistats/known_hosts",
                "-o", "GlobalKnownHostsFile=/dev/null", "-T", "-n", "root@miner1", "--", "/etc/init.d/S99cgminer restart",
            ],
            OpenSshClient.SshArguments(Target, "/etc/init.d/S99cgminer restart"));
    }

    [Fact]
    public void Trust_on_first_use_only_when_asked_and_the_connect_timeout_in_whole_seconds()
    {
        var arguments = OpenSshClient.SshArguments(Target with { AcceptNewHostKey = true, ConnectTimeout = TimeSpan.FromSeconds(2.5) }, "uptime");

        Assert.Contains("StrictHostKeyChecking=accept-new", arguments);
        Assert.Contains("ConnectTimeout=3", arguments);
    }

    [Fact]
    public void Scp_takes_its_port_with_capital_P_and_brackets_an_IPv6_host()
    {
        var arguments = OpenSshClient.ScpArguments(Target with { Host = "2001:db8::7" }, "/var/log/cgminer.log", "/tmp/b/cgminer.log");

        Assert.Equal(["-F", "/dev/null", "-P", "2222"], arguments.Take(4));
        Assert.Equal(["--", "root@[2001:db8::7]:/var/log/cgminer.log", "/tmp/b/cgminer.log"], arguments.TakeLast(3));
    }

    [Theory]
    [InlineData("-oProxyCommand=x", "root")]
    [InlineData("miner 1", "root")]
    [InlineData("miner1", "-l")]
    [InlineData("miner1", "ro ot")]
    [InlineData("", "root")]
    public async Task A_target_that_ssh_would_read_as_options_is_refused(string host, string user)
    {
        var client = new OpenSshClient();

        await Assert.ThrowsAsync<ArgumentException>(() => client.RunAsync(Target with { Host = host, User = user }, "uptime", TimeSpan.FromSeconds(5), CancellationToken.None));
    }

    [Fact]
    public async Task Without_ssh_installed_the_outcome_says_so()
    {
        var client = new OpenSshClient(sshPath: _dir.File("no-ssh"), scpPath: _dir.File("no-scp"));

        var run = await client.RunAsync(Target, "uptime", TimeSpan.FromSeconds(5), CancellationToken.None);
        var copy = await client.CopyAsync(Target, "/var/log/cgminer.log", _dir.File("cgminer.log"), TimeSpan.FromSeconds(5), CancellationToken.None);

        Assert.Equal(SshFailure.NotInstalled, run.Failure);
        Assert.Null(run.ExitCode);
        Assert.False(run.TimedOut);
        Assert.Contains("openssh-client", run.Detail, StringComparison.Ordinal);
        Assert.StartsWith($"ssh -p 2222 root@miner1 uptime: not_installed (not started): cannot start '{_dir.File("no-ssh")}'", run.Describe(), StringComparison.Ordinal);
        Assert.Equal(SshFailure.NotInstalled, copy.Failure);
        Assert.Equal($"scp -P 2222 root@miner1:/var/log/cgminer.log {_dir.File("cgminer.log")}", copy.Step);
    }

    [Fact]
    [SupportedOSPlatform("linux")]
    public async Task Standard_output_is_kept_up_to_1_MiB_and_the_cut_is_reported()
    {
        var fake = _dir.File("ssh");
        File.WriteAllText(fake, "#!/bin/sh\nhead -c 1500000 /dev/zero | tr '\\0' a\necho oops >&2\nexit 4\n");
        File.SetUnixFileMode(fake, UnixFileMode.UserRead | UnixFileMode.UserExecute);
        var client = new OpenSshClient(sshPath: fake);

        var outcome = await client.RunAsync(Target, "dmesg", TimeSpan.FromSeconds(30), CancellationToken.None);

        Assert.Equal(4, outcome.ExitCode);
        Assert.Equal(SshFailure.RemoteExit, outcome.Failure);
        Assert.Equal(OpenSshClient.StdoutLimitBytes, outcome.Stdout.Length);
        Assert.True(outcome.StdoutTruncated);
        Assert.Equal("oops\n", outcome.Stderr);
        Assert.False(outcome.StderrTruncated);
        Assert.Equal([fake, .. OpenSshClient.SshArguments(Target, "dmesg")], outcome.Arguments);
        Assert.Matches(@"^ssh -p 2222 root@miner1 dmesg: remote_exit \(exit 4, \d+\.\d\d s\): oops \[stdout cut at 1024 KiB\]$", outcome.Describe());
    }

    [Fact]
    public async Task A_cancelled_step_throws()
    {
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => new OpenSshClient().RunAsync(Target, "uptime", TimeSpan.FromSeconds(5), cancelled.Token));
    }

    [Fact]
    public void Describe_is_one_line()
    {
        var outcome = new SshOutcome
        {
            Kind = SshStepKind.Run,
            Step = "ssh -p 22 root@miner1 sleep 30",
            Command = "sleep 30",
            Arguments = [],
            Duration = TimeSpan.FromSeconds(2.004),
            TimedOut = true,
            Failure = SshFailure.Timeout,
            Detail = "line one\r\nline two",
        };

        Assert.Equal(@"ssh -p 22 root@miner1 sleep 30: timeout (killed after 2.00 s): line one\r\nline two", outcome.Describe());
        Assert.Equal("ssh -p 22 root@miner1 uptime: ok (exit 0, 0.25 s)",
            (outcome with { Step = "ssh -p 22 root@miner1 uptime", TimedOut = false, ExitCode = 0, Failure = SshFailure.Ok, Duration = TimeSpan.FromSeconds(0.25) }).Describe());
    }
}
