namespace Psistats.Aggregator.Remediation.Ssh;

/// <summary>
/// Classifies a finished ssh or scp run from its exit code and stderr, by the messages OpenSSH 9.2 prints (captured from
/// real runs in tests/fixtures/ssh/). ssh exits 255 on its own failures and otherwise with the remote command's code;
/// scp exits 255 when its ssh failed and 1 when the copy itself failed.
/// </summary>
public static class SshFailureClassifier
{
    // In order of precedence: a changed host key prints "Host key verification failed." too, a missing
    // identity file "No such file or directory" too.
    private static readonly (string Text, SshFailure Failure)[] SshMessages =
    [
        ("has changed and you have requested strict checking", SshFailure.HostKeyMismatch),
        ("REMOTE HOST IDENTIFICATION HAS CHANGED", SshFailure.HostKeyMismatch),
        ("host key is known for", SshFailure.UnknownHostKey),
        ("Host key verification failed", SshFailure.HostKeyMismatch),
        ("Permission denied (", SshFailure.AuthFailed),
        ("Too many authentication failures", SshFailure.AuthFailed),
        ("Connection refused", SshFailure.Refused),
        ("timed out", SshFailure.Timeout),
        ("Could not resolve hostname", SshFailure.Unreachable),
        ("No route to host", SshFailure.Unreachable),
        ("Network is unreachable", SshFailure.Unreachable),
        ("Host is down", SshFailure.Unreachable),
        ("Connection closed by", SshFailure.Unreachable),
        ("Connection reset by", SshFailure.Unreachable),
        ("kex_exchange_identification", SshFailure.Unreachable),
    ];

    /// <summary>
    /// The failure of a run and the stderr line that shows it (the matching message, else the last non-blank line; null
    /// when stderr is blank). <paramref name="exitCode"/> is null when the process was killed.
    /// </summary>
    /// <param name="kind">ssh (<see cref="SshStepKind.Run"/>) or scp (<see cref="SshStepKind.Copy"/>).</param>
    /// <param name="exitCode">The process's exit code; null when it was killed.</param>
    /// <param name="timedOut">True when it was killed after its timeout.</param>
    /// <param name="stderr">Its standard error (lines may end with CR LF, as ssh writes them).</param>
    public static (SshFailure Failure, string? Detail) Classify(SshStepKind kind, int? exitCode, bool timedOut, string stderr)
    {
        ArgumentNullException.ThrowIfNull(stderr);
        var lines = stderr.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0).ToArray();
        var last = lines.Length == 0 ? null : lines[^1];
        if (timedOut)
        {
            return (SshFailure.Timeout, last);
        }

        if (exitCode == 0)
        {
            return (SshFailure.Ok, null);
        }

        if (kind == SshStepKind.Run && exitCode != 255)
        {
            return (SshFailure.RemoteExit, last);
        }

        foreach (var (text, failure) in SshMessages)
        {
            if (lines.FirstOrDefault(l => l.Contains(text, StringComparison.Ordinal)) is { } line)
            {
                return (failure, line);
            }
        }

        if (kind == SshStepKind.Copy)
        {
            var missing = lines.FirstOrDefault(l => l.StartsWith("scp: ", StringComparison.Ordinal)
                && !l.StartsWith("scp: open local ", StringComparison.Ordinal)
                && l.EndsWith(": No such file or directory", StringComparison.Ordinal));
            return missing is not null ? (SshFailure.MissingFile, missing)
                : exitCode == 255 ? (SshFailure.SshError, last) : (SshFailure.CopyFailed, last);
        }

        return (SshFailure.SshError, last);
    }
}
