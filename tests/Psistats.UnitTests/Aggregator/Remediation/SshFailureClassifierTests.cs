using Psistats.Aggregator.Remediation.Ssh;
using Psistats.TestSupport;

namespace Psistats.UnitTests.Aggregator.Remediation;

/// <summary>The classification of ssh and scp failures, on stderr captured from OpenSSH 9.2 runs (tests/fixtures/ssh/).</summary>
public sealed class SshFailureClassifierTests
{
    public static TheoryData<string, SshStepKind, int, SshFailure, string> Captured => new()
    {
        { "ssh-ok-accept-new", SshStepKind.Run, 0, SshFailure.Ok, "" },
        { "ssh-remote-exit-3", SshStepKind.Run, 3, SshFailure.RemoteExit, "err" },
        { "ssh-remote-exit-127", SshStepKind.Run, 127, SshFailure.RemoteExit, "/bin/sh: 1: nosuchcommand: not found" },
        { "ssh-host-key-changed", SshStepKind.Run, 255, SshFailure.HostKeyMismatch, "Host key for [127.0.0.1]:2299 has changed and you have requested strict checking." },
        { "ssh-unknown-host-key", SshStepKind.Run, 255, SshFailure.UnknownHostKey, "No ED25519 host key is known for [127.0.0.1]:2299 and you have requested strict checking." },
        { "ssh-refused", SshStepKind.Run, 255, SshFailure.Refused, "ssh: connect to host 127.0.0.1 port 2298: Connection refused" },
        { "ssh-permission-denied", SshStepKind.Run, 255, SshFailure.AuthFailed, "root@127.0.0.1: Permission denied (publickey)." },
        { "ssh-identity-missing", SshStepKind.Run, 255, SshFailure.AuthFailed, "root@127.0.0.1: Permission denied (publickey)." },
        { "ssh-unresolvable", SshStepKind.Run, 255, SshFailure.Unreachable, "ssh: Could not resolve hostname no-such-host.invalid: Name or service not known" },
        { "ssh-banner-timeout", SshStepKind.Run, 255, SshFailure.Timeout, "Connection timed out during banner exchange" },
        { "ssh-connection-closed", SshStepKind.Run, 255, SshFailure.Unreachable, "kex_exchange_identification: Connection closed by remote host" },
        { "scp-missing-file", SshStepKind.Copy, 1, SshFailure.MissingFile, "scp: /tmp/ssh-try/nope.txt: No such file or directory" },
        { "scp-local-dir-missing", SshStepKind.Copy, 1, SshFailure.CopyFailed, "scp: open local \"/tmp/ssh-try/nodir/x.txt\": No such file or directory" },
        { "scp-not-regular-file", SshStepKind.Copy, 1, SshFailure.CopyFailed, "scp: download /tmp/ssh-try/: not a regular file" },
        { "scp-refused", SshStepKind.Copy, 255, SshFailure.Refused, "ssh: connect to host 127.0.0.1 port 2298: Connection refused" },
        { "scp-host-key-changed", SshStepKind.Copy, 255, SshFailure.HostKeyMismatch, "Host key for [127.0.0.1]:2299 has changed and you have requested strict checking." },
        { "scp-unknown-host-key", SshStepKind.Copy, 255, SshFailure.UnknownHostKey, "No ED25519 host key is known for [127.0.0.1]:2299 and you have requested strict checking." },
        { "scp-permission-denied", SshStepKind.Copy, 255, SshFailure.AuthFailed, "root@127.0.0.1: Permission denied (publickey)." },
        { "scp-connection-closed", SshStepKind.Copy, 255, SshFailure.Unreachable, "kex_exchange_identification: Connection closed by remote host" },
    };

    [Theory]
    [MemberData(nameof(Captured))]
    public void Captured_stderr_is_classified_with_the_line_that_shows_it(string fixture, SshStepKind kind, int exitCode, SshFailure expected, string detail)
    {
        var stderr = File.ReadAllText(RepoPaths.Fixture("ssh", fixture + ".txt"));

        var (failure, line) = SshFailureClassifier.Classify(kind, exitCode, timedOut: false, stderr);

        Assert.Equal(expected, failure);
        Assert.Equal(expected == SshFailure.Ok ? null : detail, line);
    }

    [Fact]
    public void Every_fixture_is_covered()
    {
        var files = Directory.GetFiles(RepoPaths.Fixture("ssh"), "*.txt").Select(Path.GetFileNameWithoutExtension).Order(StringComparer.Ordinal);

        Assert.Equal(Captured.Select(row => (string)row[0]).Order(StringComparer.Ordinal), files);
    }

    [Fact]
    public void A_killed_step_is_a_timeout_whatever_it_printed()
    {
        var (failure, detail) = SshFailureClassifier.Classify(SshStepKind.Run, null, timedOut: true, "partial\r\n");

        Assert.Equal(SshFailure.Timeout, failure);
        Assert.Equal("partial", detail);
    }

    [Fact]
    public void A_remote_command_failing_with_ssh_like_words_is_still_a_remote_exit()
    {
        var (failure, detail) = SshFailureClassifier.Classify(SshStepKind.Run, 1, timedOut: false, "cat: /root/x: Permission denied (os error)\nConnection refused\n");

        Assert.Equal(SshFailure.RemoteExit, failure);
        Assert.Equal("Connection refused", detail);
    }

    [Theory]
    [InlineData(SshStepKind.Run, 255, "", SshFailure.SshError, null)]
    [InlineData(SshStepKind.Run, 255, "something new\n", SshFailure.SshError, "something new")]
    [InlineData(SshStepKind.Copy, 255, "something new\n", SshFailure.SshError, "something new")]
    [InlineData(SshStepKind.Copy, 1, "scp: /root/x: Permission denied\n", SshFailure.CopyFailed, "scp: /root/x: Permission denied")]
    [InlineData(SshStepKind.Run, 255, "ssh: connect to host 192.0.2.1 port 22: No route to host\r\n", SshFailure.Unreachable, "ssh: connect to host 192.0.2.1 port 22: No route to host")]
    [InlineData(SshStepKind.Run, 255, "ssh: connect to host 192.0.2.1 port 22: Connection timed out\r\n", SshFailure.Timeout, "ssh: connect to host 192.0.2.1 port 22: Connection timed out")]
    [InlineData(SshStepKind.Run, 255, "Received disconnect from 127.0.0.1 port 22:2: Too many authentication failures\r\n", SshFailure.AuthFailed, "Received disconnect from 127.0.0.1 port 22:2: Too many authentication failures")]
    public void Other_stderr_texts(SshStepKind kind, int exitCode, string stderr, SshFailure expected, string? detail)
    {
        Assert.Equal((expected, detail), SshFailureClassifier.Classify(kind, exitCode, timedOut: false, stderr));
    }

    [Fact]
    public void Codes_are_the_snake_case_names_of_the_event_history()
    {
        Assert.Equal(
            ["ok", "refused", "host_key_mismatch", "unknown_host_key", "auth_failed", "timeout", "unreachable", "remote_exit", "missing_file", "copy_failed", "ssh_error", "not_installed"],
            Enum.GetValues<SshFailure>().Select(f => f.Code()));
        Assert.Equal("\"host_key_mismatch\"", System.Text.Json.JsonSerializer.Serialize(SshFailure.HostKeyMismatch));
    }
}
