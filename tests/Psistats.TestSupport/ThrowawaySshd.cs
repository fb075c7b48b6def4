using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Psistats.TestSupport;

/// <summary>
/// A real OpenSSH server on 127.0.0.1 playing a TerraMiner's sshd (scripts/throwaway-sshd.sh, the same script the demo
/// uses): own host key, own client key, its own directory. Every session runs the forced command scripts/miner-shell.sh,
/// which logs each command to <see cref="CommandsLogPath"/>, serves files by SFTP (scp), turns <c>/sbin/reboot</c> into the
/// cgminer simulator's <c>POST /reboot</c> and <c>/etc/init.d/S99cgminer restart</c> into its API <c>restart</c>, and runs
/// anything else for real. <see cref="Stop"/> and <see cref="Start"/> take it down and up again on the same port; disposing
/// stops it and deletes its directory. Needs Debian's openssh-server and openssh-client.
/// </summary>
public sealed class ThrowawaySshd : IDisposable
{
    private readonly TempDir _dir;
    private readonly string[] _startArguments;

    private ThrowawaySshd(TempDir dir, int port, string[] startArguments)
    {
        _dir = dir;
        Port = port;
        _startArguments = startArguments;
    }

    /// <summary>scripts/throwaway-sshd.sh.</summary>
    public static string Script => Path.Combine(RepoPaths.Root, "scripts", "throwaway-sshd.sh");

    /// <summary>Its directory (keys, config, logs).</summary>
    public string Directory => _dir.Path;

    /// <summary>Always <c>127.0.0.1</c>.</summary>
    public string Host => "127.0.0.1";

    /// <summary>Its port on 127.0.0.1.</summary>
    public int Port { get; }

    /// <summary>The login allowed: the current user (root in CI).</summary>
    public string User { get; private set; } = "";

    /// <summary>The client's private key (ed25519, no passphrase, mode 600).</summary>
    public string IdentityFile => _dir.File("id_ed25519");

    /// <summary>A known_hosts file holding the server's real host key for <c>[127.0.0.1]:PORT</c>.</summary>
    public string KnownHostsFile => _dir.File("known_hosts");

    /// <summary>The forced command's log: one line per session, <c>2026-01-01T00:00:00.000Z COMMAND</c>.</summary>
    public string CommandsLogPath => _dir.File("commands.log");

    /// <summary>The SFTP server's log: the files scp opened (<c>open "/path" flags READ</c>).</summary>
    public string SftpLogPath => _dir.File("sftp.log");

    /// <summary>sshd's own log (connections, authentication).</summary>
    public string SshdLogPath => _dir.File("sshd.log");

    /// <summary>
    /// Starts a server on a free port of 127.0.0.1. <paramref name="minerApiPort"/> and <paramref name="minerControlPort"/>
    /// are the cgminer simulator's ports, for the faked restart and reboot (without them those commands fail with exit 1).
    /// </summary>
    /// <exception cref="InvalidOperationException">The script failed (message: its output).</exception>
    public static ThrowawaySshd StartNew(int? minerApiPort = null, int? minerControlPort = null)
    {
        var extra = new List<string>();
        if (minerApiPort is { } api)
        {
            extra.AddRange(["--miner-api-port", api.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        }

        if (minerControlPort is { } control)
        {
            extra.AddRange(["--miner-control-port", control.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        }

        var dir = new TempDir();
        try
        {
            var sshd = new ThrowawaySshd(dir, FreePort(), [.. extra]);
            sshd.Start();
            return sshd;
        }
        catch
        {
            dir.Dispose();
            throw;
        }
    }

    /// <summary>Starts the server again (after <see cref="Stop"/>) on the same port with the same keys; waits until the port accepts.</summary>
    public void Start()
    {
        var output = RunScript(["start", Directory, Port.ToString(System.Globalization.CultureInfo.InvariantCulture), .. _startArguments]);
        User = output.Split('\n').Select(l => l.Trim()).First(l => l.StartsWith("SSHD_USER=", StringComparison.Ordinal))["SSHD_USER=".Length..];
    }

    /// <summary>Stops the server (as with sshd down) and waits until the port refuses connections.</summary>
    public void Stop() => RunScript(["stop", Directory]);

    /// <summary>The commands the forced command received, in order, without their timestamps (newlines in them as <c>\n</c>).</summary>
    public IReadOnlyList<string> CommandsLog() =>
        File.ReadAllLines(CommandsLogPath).Select(l => l[(l.IndexOf(' ', StringComparison.Ordinal) + 1)..]).ToList();

    /// <summary>
    /// Writes to <paramref name="path"/> a known_hosts line for <c>[127.0.0.1]:PORT</c> with another ed25519 key than the
    /// server's (as after a reinstall, or a man in the middle) and returns <paramref name="path"/>.
    /// </summary>
    public string WriteWrongKnownHosts(string path)
    {
        File.Copy(_dir.File("known_hosts.wrong"), path, overwrite: true);
        return path;
    }

    /// <summary>Makes every later SFTP session (scp) wait <paramref name="delay"/> before serving (a slow miner); zero = no wait.</summary>
    public void DelaySftp(TimeSpan delay) =>
        File.WriteAllText(_dir.File("sftp-delay"), ((long)delay.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>Stops the server and deletes its directory.</summary>
    public void Dispose()
    {
        try
        {
            Stop();
        }
        finally
        {
            _dir.Dispose();
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string RunScript(IEnumerable<string> arguments)
    {
        var info = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(Script);
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        var what = $"{Script} {string.Join(' ', info.ArgumentList.Skip(1))}";
        if (!process.WaitForExit(TimeSpan.FromSeconds(30)))
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
            throw new InvalidOperationException($"{what} did not finish within 30 s: {stdout.Result}{stderr.Result}");
        }

        return process.ExitCode == 0 ? stdout.Result : throw new InvalidOperationException($"{what} exited {process.ExitCode}: {stdout.Result}{stderr.Result}");
    }
}
