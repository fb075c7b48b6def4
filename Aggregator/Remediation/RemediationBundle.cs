using System.Formats.Tar;
using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Psistats.Aggregator.Remediation.Ssh;

namespace Psistats.Aggregator.Remediation;

/// <summary>One diagnostic command and how it went (null when it was not run).</summary>
/// <param name="Command">The command, as configured.</param>
/// <param name="Outcome">Its outcome.</param>
public sealed record DiagnosticOutput(string Command, SshOutcome? Outcome);

/// <summary>One configured log file and where its copy is (null when the copy failed).</summary>
/// <param name="RemotePath">The remote path, as configured.</param>
/// <param name="LocalPath">The local copy, or null.</param>
public sealed record CopiedLog(string RemotePath, string? LocalPath);

/// <summary>What goes into a remediation bundle.</summary>
public sealed record BundleContent
{
    /// <summary>The directory every entry sits in, e.g. <c>terra01-remediation-4-20260101T000000Z</c>.</summary>
    public required string Root { get; init; }

    /// <summary>The entries' modification time.</summary>
    public required DateTimeOffset At { get; init; }

    /// <summary><c>report.txt</c>: what happened (the email's body).</summary>
    public required string Report { get; init; }

    /// <summary>The configured log files and their copies.</summary>
    public IReadOnlyList<CopiedLog> Logs { get; init; } = [];

    /// <summary>The diagnostics and their output.</summary>
    public IReadOnlyList<DiagnosticOutput> Diagnostics { get; init; } = [];

    /// <summary>The aggregator's own log lines about the miner (<see cref="MinerLogBuffer"/>).</summary>
    public IReadOnlyList<string> AggregatorLog { get; init; } = [];

    /// <summary>The last good frame, or null.</summary>
    public JsonElement? LastGoodFrame { get; init; }

    /// <summary>Its receive time.</summary>
    public DateTimeOffset? LastGoodAt { get; init; }

    /// <summary>The error polls that led to the action.</summary>
    public IReadOnlyList<ErrorPoll> ErrorPolls { get; init; } = [];
}

/// <summary>
/// The gzip bundle of a remediation (step 5 of issue 6): a <c>.tar.gz</c> (System.Formats.Tar, PAX format, inside a
/// GZipStream) whose entries all sit in <see cref="BundleContent.Root"/>:
/// <list type="bullet">
/// <item><c>report.txt</c>: the report (the email's body);</item>
/// <item><c>logs/&lt;remote path, '/' as '_'&gt;</c>: each copied log file (e.g. <c>logs/var_log_cgminer.log</c>);</item>
/// <item><c>diagnostics/NN-&lt;command&gt;.txt</c>: each diagnostic's command line, outcome, standard output and standard error;</item>
/// <item><c>aggregator.log</c>: the aggregator's own log lines about the miner;</item>
/// <item><c>frames/last-good.json</c> and <c>frames/error-NN.json</c>: the last good frame and the error polls that led to the
/// action, indented JSON (<c>received_at</c>, <c>errors</c>, <c>frame</c>).</item>
/// </list>
/// When the result exceeds the size bound, the logs are cut to their newest part (the cut is said in
/// <see cref="LogsCutTo"/>), halving the part kept until it fits; when even no log at all does not fit, there is no bundle.
/// </summary>
public sealed class RemediationBundle
{
    private static readonly JsonWriterOptions PrettyJson = new() { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private RemediationBundle(byte[]? content, IReadOnlyList<string> entries, long? logsCutTo)
    {
        Content = content;
        Entries = entries;
        LogsCutTo = logsCutTo;
    }

    /// <summary>The <c>.tar.gz</c> bytes, or null when nothing fits the bound.</summary>
    public byte[]? Content { get; }

    /// <summary>The entries' names, in order.</summary>
    public IReadOnlyList<string> Entries { get; }

    /// <summary>When the logs were cut: the bytes kept of each (its newest part); null when they are whole.</summary>
    public long? LogsCutTo { get; }

    /// <summary>Builds the bundle of <paramref name="content"/>, at most <paramref name="maxBytes"/> bytes compressed.</summary>
    /// <exception cref="IOException">A log copy could not be read.</exception>
    public static RemediationBundle Build(BundleContent content, long maxBytes)
    {
        ArgumentNullException.ThrowIfNull(content);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBytes, 1);
        var logs = content.Logs.Where(l => l.LocalPath is not null && File.Exists(l.LocalPath)).ToList();
        var longest = logs.Count == 0 ? 0 : logs.Max(l => new FileInfo(l.LocalPath!).Length);
        long? cap = null;
        while (true)
        {
            var (bytes, entries) = Write(content, logs, cap);
            if (bytes.Length <= maxBytes)
            {
                return new RemediationBundle(bytes, entries, cap);
            }

            if (cap == 0 || longest == 0)
            {
                return new RemediationBundle(null, entries, cap);
            }

            // Logs compress well: start from a few times the bound, then halve.
            cap = cap is { } c ? c / 2 : Math.Min(longest - 1, maxBytes * 4);
            if (cap < 1024)
            {
                cap = 0;
            }
        }
    }

    /// <summary>A name made of letters, digits, <c>.</c>, <c>_</c> and <c>-</c> only (others become <c>_</c>), at most <paramref name="max"/> characters.</summary>
    public static string SafeName(string text, int max = 64)
    {
        ArgumentNullException.ThrowIfNull(text);
        var name = new string(text.Select(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-' ? c : '_').ToArray()).Trim('.');
        name = name.Length > max ? name[..max] : name;
        return name.Length == 0 ? "_" : name;
    }

    private static (byte[] Bytes, List<string> Entries) Write(BundleContent content, List<CopiedLog> logs, long? cap)
    {
        var entries = new List<string>();
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Optimal, leaveOpen: true))
        using (var tar = new TarWriter(gzip, TarEntryFormat.Pax, leaveOpen: true))
        {
            void Add(string name, Stream data)
            {
                var path = $"{content.Root}/{name}";
                tar.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, path)
                {
                    DataStream = data,
                    ModificationTime = content.At,
                    Mode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead,
                });
                entries.Add(path);
            }

            void AddText(string name, string text)
            {
                using var data = new MemoryStream(Encoding.UTF8.GetBytes(text));
                Add(name, data);
            }

            void AddJson(string name, Action<Utf8JsonWriter> write)
            {
                using var data = new MemoryStream();
                using (var writer = new Utf8JsonWriter(data, PrettyJson))
                {
                    write(writer);
                }

                data.WriteByte((byte)'\n');
                data.Position = 0;
                Add(name, data);
            }

            AddText("report.txt", content.Report);
            foreach (var log in logs)
            {
                using var file = new FileStream(log.LocalPath!, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
                if (cap is { } keep && file.Length > keep)
                {
                    file.Position = file.Length - keep;
                }

                Add($"logs/{SafeName(log.RemotePath.TrimStart('/').Replace('/', '_'), 120)}", file);
            }

            for (var i = 0; i < content.Diagnostics.Count; i++)
            {
                var diagnostic = content.Diagnostics[i];
                AddText($"diagnostics/{(i + 1).ToString("00", CultureInfo.InvariantCulture)}-{SafeName(diagnostic.Command, 40)}.txt", DiagnosticText(diagnostic));
            }

            AddText("aggregator.log", string.Concat(content.AggregatorLog.Select(l => l + "\n")));
            if (content.LastGoodFrame is { } good)
            {
                AddJson("frames/last-good.json", writer => WriteFrame(writer, content.LastGoodAt, null, good));
            }

            for (var i = 0; i < content.ErrorPolls.Count; i++)
            {
                var poll = content.ErrorPolls[i];
                AddJson($"frames/error-{(i + 1).ToString("00", CultureInfo.InvariantCulture)}.json", writer => WriteFrame(writer, poll.At, poll.Errors, poll.Frame));
            }
        }

        return (output.ToArray(), entries);
    }

    private static void WriteFrame(Utf8JsonWriter writer, DateTimeOffset? receivedAt, IReadOnlyList<string>? errors, JsonElement frame)
    {
        writer.WriteStartObject();
        if (receivedAt is { } at)
        {
            writer.WriteString("received_at", at.UtcDateTime);
        }

        if (errors is not null)
        {
            writer.WriteStartArray("errors");
            foreach (var error in errors)
            {
                writer.WriteStringValue(error);
            }

            writer.WriteEndArray();
        }

        writer.WritePropertyName("frame");
        frame.WriteTo(writer);
        writer.WriteEndObject();
    }

    private static string DiagnosticText(DiagnosticOutput diagnostic)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"$ {diagnostic.Command}\n");
        if (diagnostic.Outcome is not { } outcome)
        {
            return text.Append("# not run\n").ToString();
        }

        text.Append(CultureInfo.InvariantCulture, $"# {outcome.Describe()}\n");
        text.Append(outcome.Stdout);
        if (outcome.Stdout.Length > 0 && !outcome.Stdout.EndsWith('\n'))
        {
            text.Append('\n');
        }

        if (outcome.Stderr.Length > 0)
        {
            text.Append("# standard error:\n").Append(outcome.Stderr);
        }

        return text.ToString();
    }
}
