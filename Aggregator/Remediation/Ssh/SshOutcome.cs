using System.Globalization;
using System.Text;

namespace Psistats.Aggregator.Remediation.Ssh;

/// <summary>
/// The outcome of one ssh or scp step (<see cref="OpenSshClient"/>): what ran, how it ended, and its output. A failed
/// step is an outcome, never an exception, so that the later steps of a remediation still run.
/// </summary>
public sealed record SshOutcome
{
    /// <summary>Run (ssh) or copy (scp).</summary>
    public required SshStepKind Kind { get; init; }

    /// <summary>The step as a reader would type it: <c>ssh -p 22 root@miner1 dmesg</c>, <c>scp -P 22 root@miner1:/var/log/cgminer.log /tmp/x/cgminer.log</c>.</summary>
    public required string Step { get; init; }

    /// <summary>The remote command (run) or the remote path (copy), as configured.</summary>
    public required string Command { get; init; }

    /// <summary>The program and its whole argument list, as started (for the event history and troubleshooting).</summary>
    public required IReadOnlyList<string> Arguments { get; init; }

    /// <summary>The process's exit code: 0 ok, 255 ssh's own failure (scp: 255 its ssh failed, 1 the copy failed), else the remote command's; null when killed or not started.</summary>
    public int? ExitCode { get; init; }

    /// <summary>Standard output, UTF-8 (invalid bytes replaced), at most <see cref="OpenSshClient.StdoutLimitBytes"/> bytes (1 MiB) of its beginning.</summary>
    public string Stdout { get; init; } = "";

    /// <summary>True when standard output was longer than <see cref="OpenSshClient.StdoutLimitBytes"/> and cut.</summary>
    public bool StdoutTruncated { get; init; }

    /// <summary>Standard error, UTF-8, at most <see cref="OpenSshClient.StderrLimitBytes"/> bytes (64 KiB) of its beginning; ssh ends its own lines with CR LF.</summary>
    public string Stderr { get; init; } = "";

    /// <summary>True when standard error was longer than <see cref="OpenSshClient.StderrLimitBytes"/> and cut.</summary>
    public bool StderrTruncated { get; init; }

    /// <summary>Wall-clock time from start to exit (or to the kill).</summary>
    public TimeSpan Duration { get; init; }

    /// <summary>True when the step outlived its timeout and its process tree was killed (<see cref="ExitCode"/> is null).</summary>
    public bool TimedOut { get; init; }

    /// <summary>The classification (<see cref="SshFailureClassifier"/>); <see cref="SshFailure.Ok"/> when it succeeded.</summary>
    public required SshFailure Failure { get; init; }

    /// <summary>The stderr line behind <see cref="Failure"/> (or the last one), or why the program did not start; null when none.</summary>
    public string? Detail { get; init; }

    /// <summary>True when <see cref="Failure"/> is <see cref="SshFailure.Ok"/>.</summary>
    public bool Succeeded => Failure == SshFailure.Ok;

    /// <summary>
    /// One line for emails and logs, e.g. <c>ssh -p 22 root@miner1 uptime: ok (exit 0, 0.21 s)</c>,
    /// <c>ssh -p 22 root@miner1 dmesg: refused (exit 255, 0.01 s): ssh: connect to host miner1 port 22: Connection refused</c>,
    /// <c>ssh -p 22 root@miner1 sleep 30: timeout (killed after 2.00 s)</c>. Control characters are escaped, the detail cut at 300 characters.
    /// </summary>
    public string Describe()
    {
        var how = TimedOut ? $"killed after {Seconds(Duration)} s"
            : ExitCode is { } code ? $"exit {code.ToString(CultureInfo.InvariantCulture)}, {Seconds(Duration)} s"
            : "not started";
        var text = new StringBuilder($"{Step}: {Failure.Code()} ({how})");
        if (Detail is { Length: > 0 } detail && !Succeeded)
        {
            text.Append(": ").Append(detail.Length > 300 ? detail[..300] + "..." : detail);
        }

        if (StdoutTruncated)
        {
            text.Append(CultureInfo.InvariantCulture, $" [stdout cut at {OpenSshClient.StdoutLimitBytes / 1024} KiB]");
        }

        return OneLine(text.ToString());
    }

    /// <summary><paramref name="text"/> with CR, LF, tab and other control characters written as escapes.</summary>
    internal static string OneLine(string text)
    {
        if (!text.Any(char.IsControl))
        {
            return text;
        }

        var line = new StringBuilder(text.Length + 8);
        foreach (var c in text)
        {
            line.Append(c switch
            {
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                _ when char.IsControl(c) => $"\\x{(int)c:x2}",
                _ => c.ToString(),
            });
        }

        return line.ToString();
    }

    private static string Seconds(TimeSpan duration) => duration.TotalSeconds.ToString("0.00", CultureInfo.InvariantCulture);
}
