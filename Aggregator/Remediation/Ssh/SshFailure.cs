using System.Text.Json.Serialization;

namespace Psistats.Aggregator.Remediation.Ssh;

/// <summary>
/// What became of one ssh or scp step, from its exit code and stderr (<see cref="SshFailureClassifier"/>). The JSON and
/// <see cref="SshFailures.Code"/> names are the snake_case words below, as recorded in the event history and emails.
/// </summary>
[JsonConverter(typeof(JsonStringEnumConverter<SshFailure>))]
public enum SshFailure
{
    /// <summary><c>ok</c>: exit 0.</summary>
    [JsonStringEnumMemberName("ok")]
    Ok,

    /// <summary><c>refused</c>: nothing listens on the port ("Connection refused": sshd down or the miner still booting).</summary>
    [JsonStringEnumMemberName("refused")]
    Refused,

    /// <summary><c>host_key_mismatch</c>: the host key differs from known_hosts ("REMOTE HOST IDENTIFICATION HAS CHANGED", "Host key verification failed").</summary>
    [JsonStringEnumMemberName("host_key_mismatch")]
    HostKeyMismatch,

    /// <summary><c>unknown_host_key</c>: known_hosts has no key for the host and trust on first use is off ("No ... host key is known for").</summary>
    [JsonStringEnumMemberName("unknown_host_key")]
    UnknownHostKey,

    /// <summary><c>auth_failed</c>: the key was not accepted ("Permission denied (publickey)").</summary>
    [JsonStringEnumMemberName("auth_failed")]
    AuthFailed,

    /// <summary><c>timeout</c>: killed after the step's timeout, or ssh's own <c>ConnectTimeout</c> passed ("timed out").</summary>
    [JsonStringEnumMemberName("timeout")]
    Timeout,

    /// <summary><c>unreachable</c>: name not resolved, no route, or the connection closed or reset before SSH spoke.</summary>
    [JsonStringEnumMemberName("unreachable")]
    Unreachable,

    /// <summary><c>remote_exit</c>: ssh connected and the remote command exited non-zero (its code is the exit code; 127 = command not found).</summary>
    [JsonStringEnumMemberName("remote_exit")]
    RemoteExit,

    /// <summary><c>missing_file</c>: scp: the remote file does not exist ("scp: PATH: No such file or directory").</summary>
    [JsonStringEnumMemberName("missing_file")]
    MissingFile,

    /// <summary><c>copy_failed</c>: scp connected but the copy failed otherwise (not a regular file, local file not writable...).</summary>
    [JsonStringEnumMemberName("copy_failed")]
    CopyFailed,

    /// <summary><c>ssh_error</c>: exit 255 with a stderr matching none of the above (ssh's own failure, or a remote command exiting 255).</summary>
    [JsonStringEnumMemberName("ssh_error")]
    SshError,

    /// <summary><c>not_installed</c>: the ssh or scp program could not be started (Debian package <c>openssh-client</c> missing, or a wrong path).</summary>
    [JsonStringEnumMemberName("not_installed")]
    NotInstalled,
}

/// <summary>Names of <see cref="SshFailure"/> values.</summary>
public static class SshFailures
{
    /// <summary>The snake_case name of <paramref name="failure"/> (<c>ok</c>, <c>refused</c>, <c>host_key_mismatch</c>...).</summary>
    public static string Code(this SshFailure failure) => failure switch
    {
        SshFailure.Ok => "ok",
        SshFailure.Refused => "refused",
        SshFailure.HostKeyMismatch => "host_key_mismatch",
        SshFailure.UnknownHostKey => "unknown_host_key",
        SshFailure.AuthFailed => "auth_failed",
        SshFailure.Timeout => "timeout",
        SshFailure.Unreachable => "unreachable",
        SshFailure.RemoteExit => "remote_exit",
        SshFailure.MissingFile => "missing_file",
        SshFailure.CopyFailed => "copy_failed",
        SshFailure.SshError => "ssh_error",
        SshFailure.NotInstalled => "not_installed",
        _ => throw new ArgumentOutOfRangeException(nameof(failure), failure, null),
    };
}
