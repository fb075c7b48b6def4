using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Psistats.Aggregator.Remediation.Ssh;

/// <summary>
/// Runs remote commands and copies remote files with Debian's OpenSSH client programs (<c>ssh</c>, <c>scp</c>; SSH.NET is
/// not available here, platform.md "OpenSSH from .NET"), started through <see cref="Process"/> with an argument list, never
/// through a local shell. Every call is bounded by a timeout after which the whole process tree is killed; a failed step
/// (refused, host key, authentication, timeout, missing file, remote exit, ssh not installed) comes back as an
/// <see cref="SshOutcome"/>, never as an exception. Thread-safe: calls are independent.
/// </summary>
/// <remarks>
/// Options of every call: <c>-F /dev/null</c> (no ssh_config: nothing but these options apply), <c>-i KEY -o IdentitiesOnly=yes</c>,
/// <c>-o BatchMode=yes</c> (never a password or passphrase prompt), <c>-o ConnectTimeout=N</c>,
/// <c>-o StrictHostKeyChecking=yes</c> (or <c>accept-new</c> when the target asks for trust on first use),
/// <c>-o UserKnownHostsFile=FILE -o GlobalKnownHostsFile=/dev/null</c> (the target's known_hosts is the only trust); ssh adds
/// <c>-T -n</c> (no terminal, no stdin). The ssh agent of the environment, if any, is not used for other keys
/// (<c>IdentitiesOnly</c>).
/// </remarks>
/// <param name="sshPath">The ssh program: a path, or a name looked up in PATH (default <c>ssh</c>).</param>
/// <param name="scpPath">The scp program: a path, or a name looked up in PATH (default <c>scp</c>).</param>
public sealed class OpenSshClient(string sshPath = "ssh", string scpPath = "scp")
{
    /// <summary>Standard output kept per step: its first 1 MiB (dmesg of a TerraMiner is about 100 KiB); the rest is read and dropped.</summary>
    public const int StdoutLimitBytes = 1024 * 1024;

    /// <summary>Standard error kept per step: its first 64 KiB (ssh's own messages are a few lines); the rest is read and dropped.</summary>
    public const int StderrLimitBytes = 64 * 1024;

    // After the process exits (or is killed), how long its pipes may stay open (held by an escaped grandchild) before the
    // output read so far is taken as final.
    private static readonly TimeSpan DrainGrace = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Runs <paramref name="remoteCommand"/> on <paramref name="target"/>:
    /// <c>ssh OPTIONS -p PORT -T -n USER@HOST -- COMMAND</c>.
    /// </summary>
    /// <param name="target">The miner.</param>
    /// <param name="remoteCommand">
    /// One string for the remote user's shell (ssh passes it as is; the remote shell splits and expands it). It comes only
    /// from configuration (<c>diagnostics</c>, <c>restart_command</c>, <c>reboot_command</c>) and is never built from frame
    /// data: a frame's text in it would be a remote code execution.
    /// </param>
    /// <param name="timeout">Bound of the whole step (connect included); on expiry the process tree is killed and the outcome is <see cref="SshFailure.Timeout"/>.</param>
    /// <param name="cancellationToken">Cancels the step: the process tree is killed and <see cref="OperationCanceledException"/> thrown.</param>
    /// <exception cref="ArgumentException">An invalid target or an empty command (a programming or configuration error).</exception>
    public Task<SshOutcome> RunAsync(SshTarget target, string remoteCommand, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(remoteCommand);
        Validate(target, timeout);
        var arguments = SshArguments(target, remoteCommand);
        var step = $"ssh -p {target.Port.ToString(CultureInfo.InvariantCulture)} {target.User}@{target.Host} {remoteCommand}";
        return ExecuteAsync(SshStepKind.Run, sshPath, arguments, step, remoteCommand, timeout, cancellationToken);
    }

    /// <summary>
    /// Copies <paramref name="remotePath"/> from <paramref name="target"/> to <paramref name="localPath"/>:
    /// <c>scp OPTIONS -P PORT -- USER@HOST:REMOTE LOCAL</c>. OpenSSH 9 scp speaks SFTP: the remote path is not given to a
    /// remote shell, but scp still expands glob characters (<c>*?[</c>) in it. On failure <paramref name="localPath"/> may be
    /// missing or partial.
    /// </summary>
    /// <param name="target">The miner.</param>
    /// <param name="remotePath">Absolute remote path, from configuration (<c>log_files</c>), never from frame data.</param>
    /// <param name="localPath">Local destination file (made absolute; its directory must exist).</param>
    /// <param name="timeout">Bound of the whole step; on expiry the process tree (scp and its ssh) is killed.</param>
    /// <param name="cancellationToken">Cancels the step: the process tree is killed and <see cref="OperationCanceledException"/> thrown.</param>
    /// <exception cref="ArgumentException">An invalid target or empty paths (a programming or configuration error).</exception>
    public Task<SshOutcome> CopyAsync(SshTarget target, string remotePath, string localPath, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(remotePath);
        ArgumentException.ThrowIfNullOrWhiteSpace(localPath);
        Validate(target, timeout);
        var local = Path.GetFullPath(localPath);
        var arguments = ScpArguments(target, remotePath, local);
        var step = $"scp -P {target.Port.ToString(CultureInfo.InvariantCulture)} {target.User}@{ScpHost(target.Host)}:{remotePath} {local}";
        return ExecuteAsync(SshStepKind.Copy, scpPath, arguments, step, remotePath, timeout, cancellationToken);
    }

    /// <summary>The ssh argument list for <paramref name="remoteCommand"/> on <paramref name="target"/>.</summary>
    internal static IReadOnlyList<string> SshArguments(SshTarget target, string remoteCommand) =>
        [.. CommonOptions(target, "-p"), "-T", "-n", $"{target.User}@{target.Host}", "--", remoteCommand];

    /// <summary>The scp argument list copying <paramref name="remotePath"/> to <paramref name="localPath"/>.</summary>
    internal static IReadOnlyList<string> ScpArguments(SshTarget target, string remotePath, string localPath) =>
        [.. CommonOptions(target, "-P"), "--", $"{target.User}@{ScpHost(target.Host)}:{remotePath}", localPath];

    private static string[] CommonOptions(SshTarget target, string portOption) =>
    [
        "-F", "/dev/null",
        portOption, target.Port.ToString(CultureInfo.InvariantCulture),
        "-i", target.IdentityFile,
        "-o", "IdentitiesOnly=yes",
        "-o", "BatchMode=yes",
        "-o", "ConnectTimeout=" + Math.Max(1, (long)Math.Ceiling(target.ConnectTimeout.TotalSeconds)).ToString(CultureInfo.InvariantCulture),
        "-o", "StrictHostKeyChecking=" + (target.AcceptNewHostKey ? "accept-new" : "yes"),
        "-o", "UserKnownHostsFile=" + target.KnownHostsFile,
        "-o", "GlobalKnownHostsFile=/dev/null",
    ];

    // scp reads "user@host:path" up to the first colon: an IPv6 address needs brackets.
    private static string ScpHost(string host) => host.Contains(':', StringComparison.Ordinal) ? $"[{host}]" : host;

    private static void Validate(SshTarget target, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(timeout, TimeSpan.Zero);
        if (target.Host.Length == 0 || target.Host.StartsWith('-') || target.Host.Any(c => char.IsControl(c) || char.IsWhiteSpace(c) || c == '@'))
        {
            throw new ArgumentException($"'{target.Host}' is not a host name or address", nameof(target));
        }

        if (target.User.Length == 0 || target.User.StartsWith('-') || target.User.Any(c => char.IsControl(c) || char.IsWhiteSpace(c) || c == '@' || c == ':'))
        {
            throw new ArgumentException($"'{target.User}' is not a login name", nameof(target));
        }

        if (target.Port is < 1 or > 65535)
        {
            throw new ArgumentException($"port {target.Port} is not between 1 and 65535", nameof(target));
        }

        if (string.IsNullOrWhiteSpace(target.IdentityFile) || string.IsNullOrWhiteSpace(target.KnownHostsFile))
        {
            throw new ArgumentException("the identity file and the known_hosts file are required", nameof(target));
        }

        if (target.ConnectTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentException("the connect timeout must be positive", nameof(target));
        }
    }

    private static async Task<SshOutcome> ExecuteAsync(SshStepKind kind, string program, IReadOnlyList<string> arguments, string step, string command,
        TimeSpan timeout, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var info = new ProcessStartInfo(program)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        // Not started until Process.Start succeeds.
        var outcome = new SshOutcome
        {
            Kind = kind,
            Step = SshOutcome.OneLine(step),
            Command = command,
            Arguments = [program, .. arguments],
            Failure = SshFailure.NotInstalled,
        };
        using var process = new Process { StartInfo = info };
        var clock = Stopwatch.StartNew();
        try
        {
            process.Start();
        }
        catch (Win32Exception ex)
        {
            return outcome with
            {
                Duration = clock.Elapsed,
                Detail = $"cannot start '{program}': {ex.Message} (install Debian's openssh-client, or check the configured path)",
            };
        }

        process.StandardInput.Close();
        using var drain = new CancellationTokenSource();
        var stdout = ReadCappedAsync(process.StandardOutput.BaseStream, StdoutLimitBytes, drain.Token);
        var stderr = ReadCappedAsync(process.StandardError.BaseStream, StderrLimitBytes, drain.Token);
        var timedOut = false;
        using (var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            deadline.CancelAfter(timeout);
            try
            {
                await process.WaitForExitAsync(deadline.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
                timedOut = true;
            }
        }

        var duration = clock.Elapsed;
        drain.CancelAfter(DrainGrace);
        var (outText, outCut) = await stdout.ConfigureAwait(false);
        var (errText, errCut) = await stderr.ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();

        int? exitCode = timedOut ? null : process.ExitCode;
        var (failure, detail) = SshFailureClassifier.Classify(kind, exitCode, timedOut, errText);
        return outcome with
        {
            ExitCode = exitCode,
            Stdout = outText,
            StdoutTruncated = outCut,
            Stderr = errText,
            StderrTruncated = errCut,
            Duration = duration,
            TimedOut = timedOut,
            Failure = failure,
            Detail = detail,
        };
    }

    // Reads to the end, keeping the first `limit` bytes; stops early (with what it has) when `drain` is cancelled.
    private static async Task<(string Text, bool Truncated)> ReadCappedAsync(Stream stream, int limit, CancellationToken drain)
    {
        using var kept = new MemoryStream();
        var truncated = false;
        var buffer = new byte[16 * 1024];
        try
        {
            int read;
            while ((read = await stream.ReadAsync(buffer, drain).ConfigureAwait(false)) > 0)
            {
                var room = limit - (int)kept.Length;
                if (read > room)
                {
                    truncated = true;
                }

                kept.Write(buffer, 0, Math.Min(read, room));
            }
        }
        catch (OperationCanceledException)
        {
            // An escaped grandchild still holds the pipe: the output so far is the output.
        }

        return (Encoding.UTF8.GetString(kept.GetBuffer(), 0, (int)kept.Length), truncated);
    }
}
