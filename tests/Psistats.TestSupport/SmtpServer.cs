using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Psistats.TestSupport;

/// <summary>A header of a received message, decoded (RFC 2047 encoded-words turned into text).</summary>
public sealed record MailHeader(string Name, string Value);

/// <summary>An attachment of a received message.</summary>
public sealed record MailAttachment(string? Name, string ContentType, byte[] Content);

/// <summary>A message as the SMTP server stored it, parsed by Python's email package (policy.default).</summary>
/// <param name="File">Its Maildir file name.</param>
/// <param name="Subject">Decoded subject.</param>
/// <param name="From">The From header.</param>
/// <param name="To">The To header's addresses.</param>
/// <param name="Headers">Every header in order (aiosmtpd adds X-Peer, X-MailFrom and X-RcptTo: the envelope).</param>
/// <param name="Body">The text/plain body, decoded, lines ending in LF.</param>
/// <param name="Attachments">The attachments with their bytes.</param>
public sealed record ReceivedMail(string File, string Subject, string From, IReadOnlyList<string> To, IReadOnlyList<MailHeader> Headers,
    string Body, IReadOnlyList<MailAttachment> Attachments)
{
    /// <summary>Values of the headers named <paramref name="name"/> (case-insensitive).</summary>
    public IReadOnlyList<string> Header(string name) =>
        Headers.Where(h => h.Name.Equals(name, StringComparison.OrdinalIgnoreCase)).Select(h => h.Value).ToList();
}

/// <summary>
/// A real SMTP server for tests: Debian's aiosmtpd (<c>/usr/bin/python3 -m aiosmtpd -n -l 127.0.0.1:PORT -c
/// aiosmtpd.handlers.Mailbox DIR</c>) storing each message in a Maildir, read back with tests/tools/read_maildir.py (a real MIME
/// parser). <see cref="Stop"/> and <see cref="StartAgainAsync"/> take it down and bring it back on the same port and Maildir. Without
/// python3-aiosmtpd it fails saying how to install it (tests never skip). Disposing kills it and deletes the Maildir.
/// </summary>
public sealed class SmtpServer : IDisposable
{
    /// <summary>The Python the server and the reader run with (Debian's, which has python3-aiosmtpd).</summary>
    public const string Python = "/usr/bin/python3";

    private static readonly JsonSerializerOptions JsonOptions = new() { PropertyNameCaseInsensitive = true };
    private readonly TempDir _dir = new();
    private readonly StringBuilder _output = new();
    private Process? _process;

    private SmtpServer(int port)
    {
        Port = port;
        foreach (var sub in new[] { "cur", "new", "tmp" })
        {
            Directory.CreateDirectory(Path.Combine(Maildir, sub));
        }
    }

    /// <summary>The TCP port on 127.0.0.1.</summary>
    public int Port { get; }

    /// <summary>
    /// The aggregator's <c>[email]</c> (this server, ops@example.test) and <c>[notifications]</c> sections for a test: quick
    /// retries (0.5 s, at most 1 s), the given digest and repeat intervals and group_wait in seconds (default 0: one email per
    /// alert, as the tests that count them expect).
    /// </summary>
    public string AggregatorIni(double digestInterval = 60, double repeatInterval = 14400, double groupWait = 0) => string.Create(
        System.Globalization.CultureInfo.InvariantCulture, $"""
        [email]
        enabled = yes
        smtp_host = 127.0.0.1
        smtp_port = {Port}
        from = psistats@example.test
        to = ops@example.test
        digest_interval = {digestInterval}
        timeout = 5
        [notifications]
        repeat_interval = {repeatInterval}
        retry_initial = 0.5
        retry_max = 1
        group_wait = {groupWait}

        """);

    /// <summary>The Maildir messages are stored in.</summary>
    public string Maildir => _dir.File("Maildir");

    /// <summary>What the server printed (for assertion messages).</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>Starts a server on a free port with an empty Maildir and waits until it accepts connections.</summary>
    public static async Task<SmtpServer> StartAsync()
    {
        var server = new SmtpServer(FreePort());
        try
        {
            await server.StartAgainAsync();
        }
        catch
        {
            server.Dispose();
            throw;
        }

        return server;
    }

    /// <summary>Starts the server again (same port, same Maildir) and waits until it accepts connections.</summary>
    /// <exception cref="InvalidOperationException">It is running, python3-aiosmtpd is missing, or it did not listen within 20 s.</exception>
    public async Task StartAgainAsync()
    {
        if (_process is { HasExited: false })
        {
            throw new InvalidOperationException("the SMTP server is already running");
        }

        if (!File.Exists(Python))
        {
            throw new InvalidOperationException($"{Python} is missing: install python3 and python3-aiosmtpd (apt-get install -y python3-aiosmtpd, scripts/setup.sh)");
        }

        var info = new ProcessStartInfo(Python) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { "-m", "aiosmtpd", "-n", "-l", $"127.0.0.1:{Port}", "-c", "aiosmtpd.handlers.Mailbox", Maildir })
        {
            info.ArgumentList.Add(arg);
        }

        var process = new Process { StartInfo = info };
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (true)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException(
                    $"aiosmtpd exited with {process.ExitCode} (is python3-aiosmtpd installed? apt-get install -y python3-aiosmtpd): {Output}");
            }

            if (await AcceptsAsync())
            {
                return;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new InvalidOperationException($"aiosmtpd did not listen on 127.0.0.1:{Port} within 20 s: {Output}");
            }

            await Task.Delay(50);
        }
    }

    /// <summary>Kills the server (connections refused from then on); the Maildir stays.</summary>
    public void Stop()
    {
        if (_process is { HasExited: false } process)
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
        }

        _process?.Dispose();
        _process = null;
    }

    /// <summary>Every message in the Maildir, oldest first, parsed by tests/tools/read_maildir.py.</summary>
    public IReadOnlyList<ReceivedMail> Messages()
    {
        var info = new ProcessStartInfo(Python)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
        };
        info.ArgumentList.Add(Path.Combine(RepoPaths.Root, "tests", "tools", "read_maildir.py"));
        info.ArgumentList.Add(Maildir);
        info.Environment["PYTHONIOENCODING"] = "utf-8";
        using var process = Process.Start(info)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var lines = new List<string>();
        while (process.StandardOutput.ReadLine() is { } line)
        {
            lines.Add(line);
        }

        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"read_maildir.py exited with {process.ExitCode}: {stderr.Result}");
        }

        return lines.Select(Parse).ToList();
    }

    /// <summary>Waits (real time) until the Maildir holds at least <paramref name="count"/> messages; returns them all.</summary>
    public async Task<IReadOnlyList<ReceivedMail>> WaitForMessagesAsync(int count, TimeSpan timeout)
    {
        // aiosmtpd writes into tmp/ and renames into new/: a file there is a whole message.
        await Eventually.TrueAsync(() => CountFiles() >= count, timeout, $"{count} message(s) in {Maildir} (server output: {Output})");
        return Messages();
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Stop();
        _dir.Dispose();
    }

    private int CountFiles() => Directory.GetFiles(Path.Combine(Maildir, "new")).Length + Directory.GetFiles(Path.Combine(Maildir, "cur")).Length;

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (_output)
            {
                _output.AppendLine(line);
            }
        }
    }

    private async Task<bool> AcceptsAsync()
    {
        using var client = new TcpClient();
        try
        {
            await client.ConnectAsync(IPAddress.Loopback, Port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static ReceivedMail Parse(string json)
    {
        var raw = JsonSerializer.Deserialize<RawMail>(json, JsonOptions) ?? throw new InvalidOperationException($"read_maildir.py printed {json}");
        return new ReceivedMail(raw.File, raw.Subject, raw.From, raw.To, raw.Headers.Select(h => new MailHeader(h[0], h[1])).ToList(), raw.Body,
            raw.Attachments.Select(a => new MailAttachment(a.Name, a.ContentType, Convert.FromBase64String(a.Base64))).ToList());
    }

    private sealed record RawMail(string File, List<string[]> Headers, string Subject, string From, List<string> To, string Body, List<RawAttachment> Attachments);

    private sealed record RawAttachment(string? Name, [property: JsonPropertyName("content_type")] string ContentType, string Base64);
}
