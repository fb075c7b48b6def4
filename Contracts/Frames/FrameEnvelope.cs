using System.Globalization;
using System.Text.Json;

namespace Psistats.Contracts.Frames;

/// <summary>Why a received body is not a usable frame.</summary>
public enum FrameRejection
{
    /// <summary>Accepted.</summary>
    None,

    /// <summary>Larger than the consumer's limit.</summary>
    TooLarge,

    /// <summary>Not valid UTF-8 JSON.</summary>
    InvalidJson,

    /// <summary>Valid JSON, but not an object.</summary>
    NotAnObject,

    /// <summary>No non-empty string <c>hostname</c>.</summary>
    MissingHostname,

    /// <summary>No non-empty string <c>reporter</c>.</summary>
    MissingReporter,

    /// <summary>
    /// An envelope number (<c>timestamp</c>, <c>interval</c>, <c>seq</c>) outside its range, or a <c>seq</c> that is not an integer
    /// (a value that is not a number at all is ignored, as before).
    /// </summary>
    OutOfRange,

    /// <summary>Bytes that are not valid UTF-8 inside a string, or a string or property name that is not valid Unicode (a lone UTF-16 surrogate written as a <c>\u</c> escape).</summary>
    InvalidText,

    /// <summary>A frame of a new host past <c>[aggregator] max_hosts</c> or past the rate of new hosts (decided by the aggregator, not by parsing).</summary>
    TooManyHosts,
}

/// <summary>
/// The envelope of a received frame, read without knowing the reporter: any consumer can use it,
/// and frames of reporters it does not know are kept whole in <see cref="Body"/>.
/// </summary>
/// <param name="Hostname">JSON <c>hostname</c>.</param>
/// <param name="Reporter">JSON <c>reporter</c>.</param>
/// <param name="Timestamp">JSON <c>timestamp</c>, Unix seconds by the agent's clock, or null if absent or not a number.</param>
/// <param name="Interval">JSON <c>interval</c>, seconds, or null if absent or not a number.</param>
/// <param name="Body">The whole frame (a detached copy, safe to keep).</param>
public sealed record FrameEnvelope(string Hostname, string Reporter, double? Timestamp, double? Interval, JsonElement Body)
{
    /// <summary>Longest hostname or reporter accepted, characters.</summary>
    public const int MaxNameLength = 255;

    /// <summary>
    /// Deepest nesting accepted (a frame is an object, so its values may nest 31 levels): a frame nested deeper is rejected as
    /// <see cref="FrameRejection.InvalidJson"/>. Leaves room under the 64 levels a JSON writer allows by default for the API
    /// documents that embed a frame a few levels down.
    /// </summary>
    public const int MaxDepth = 32;

    /// <summary>Largest <c>timestamp</c> accepted: 9999-12-31T23:59:59Z in Unix seconds.</summary>
    public const double MaxTimestamp = 253_402_300_799;

    /// <summary>
    /// Largest <c>interval</c> accepted, seconds (30 days): longer than any real reporter's period, and far from TimeSpan's limits
    /// once multiplied by <c>stale_factor</c>.
    /// </summary>
    public const double MaxInterval = 2_592_000;

    /// <summary>Largest <c>seq</c> accepted: 2^53, the largest integer every JSON reader keeps exactly.</summary>
    public const long MaxSeq = 1L << 53;

    /// <summary>JSON <c>seq</c>, the agent's frame number (see <see cref="Frame.Seq"/>), or null if absent.</summary>
    public long? Seq { get; init; }

    /// <summary>
    /// The UTF-8 JSON <see cref="Body"/> was parsed from, when the envelope comes from <see cref="TryParseInPlace"/> (valid as
    /// long as <see cref="Body"/> is); empty otherwise.
    /// </summary>
    public ReadOnlyMemory<byte> Utf8 { get; init; }

    /// <summary>Parses and checks a received body.</summary>
    /// <param name="body">The AMQP message body (UTF-8 JSON).</param>
    /// <param name="maxBytes">Size limit in bytes.</param>
    /// <param name="envelope">The frame when accepted.</param>
    /// <param name="detail">A short human-readable reason when rejected.</param>
    /// <returns><see cref="FrameRejection.None"/> when accepted, else why not.</returns>
    public static FrameRejection TryParse(ReadOnlyMemory<byte> body, int maxBytes, out FrameEnvelope? envelope, out string? detail)
    {
        envelope = null;
        var rejection = TryParseInPlace(body, maxBytes, out var parsed, out detail);
        if (parsed is not null)
        {
            using (parsed)
            {
                var e = parsed.Envelope;
                envelope = new FrameEnvelope(e.Hostname, e.Reporter, e.Timestamp, e.Interval, e.Body.Clone()) { Seq = e.Seq };
            }
        }

        return rejection;
    }

    /// <summary>
    /// Parses and checks a received body without copying it: the accepted frame's <see cref="Body"/> is read from
    /// <paramref name="body"/> through a pooled <see cref="JsonDocument"/>, and both stay valid only until the
    /// <see cref="ParsedFrame"/> is disposed (and only while <paramref name="body"/> is, e.g. inside the consumer's delivery
    /// handler). Whoever keeps part of the frame longer copies it (<see cref="JsonElement.Clone"/>, or the bytes of
    /// <see cref="Utf8"/>). Nothing of a frame outlives its delivery unless asked, so a busy consumer allocates almost
    /// nothing that survives a gen0 collection.
    /// </summary>
    /// <param name="body">The AMQP message body (UTF-8 JSON).</param>
    /// <param name="maxBytes">Size limit in bytes.</param>
    /// <param name="parsed">The frame when accepted; dispose it when done.</param>
    /// <param name="detail">A short human-readable reason when rejected.</param>
    /// <returns><see cref="FrameRejection.None"/> when accepted, else why not.</returns>
    public static FrameRejection TryParseInPlace(ReadOnlyMemory<byte> body, int maxBytes, out ParsedFrame? parsed, out string? detail)
    {
        parsed = null;
        detail = null;
        if (body.Length > maxBytes)
        {
            detail = $"{body.Length} bytes exceeds the limit of {maxBytes}";
            return FrameRejection.TooLarge;
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = MaxDepth });
        }
        catch (JsonException ex)
        {
            detail = ex.Message;
            return FrameRejection.InvalidJson;
        }

        var keep = false;
        try
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                detail = $"top-level JSON is {root.ValueKind}, not an object";
                return FrameRejection.NotAnObject;
            }

            if (!System.Text.Unicode.Utf8.IsValid(body.Span))
            {
                detail = "the body is not valid UTF-8";
                return FrameRejection.InvalidText;
            }

            if (MayHoldLoneSurrogate(body.Span) && FindInvalidText(root, "$") is { } where)
            {
                detail = $"{where} is not valid Unicode (a lone UTF-16 surrogate escape)";
                return FrameRejection.InvalidText;
            }

            var hostname = NonEmptyString(root, "hostname");
            if (hostname is null)
            {
                detail = "no non-empty string 'hostname' (at most 255 characters)";
                return FrameRejection.MissingHostname;
            }

            var reporter = NonEmptyString(root, "reporter");
            if (reporter is null)
            {
                detail = "no non-empty string 'reporter' (at most 255 characters)";
                return FrameRejection.MissingReporter;
            }

            if (!TryNumber(root, "timestamp", 0, MaxTimestamp, out var timestamp, out detail)
                || !TryNumber(root, "interval", 0, MaxInterval, out var interval, out detail)
                || !TrySeq(root, out var seq, out detail))
            {
                return FrameRejection.OutOfRange;
            }

            var envelope = new FrameEnvelope(hostname, reporter, timestamp, interval, root) { Utf8 = body, Seq = seq };
            parsed = new ParsedFrame(envelope, document);
            keep = true;
            return FrameRejection.None;
        }
        finally
        {
            if (!keep)
            {
                document.Dispose();
            }
        }
    }

    private static string? NonEmptyString(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            && value.GetString() is { Length: > 0 and <= MaxNameLength } text && !string.IsNullOrWhiteSpace(text)
            ? text
            : null;

    /// <summary>
    /// An optional envelope number: absent, null or not a number is null (as before bounds were checked: consumers ignore what they
    /// cannot read); a number must be finite and in [min, max].
    /// </summary>
    private static bool TryNumber(JsonElement root, string name, double min, double max, out double? value, out string? detail)
    {
        value = null;
        detail = null;
        if (!root.TryGetProperty(name, out var element) || element.ValueKind != JsonValueKind.Number)
        {
            return true;
        }

        if (!element.TryGetDouble(out var number) || !double.IsFinite(number))
        {
            detail = $"'{name}' {Describe(element)} is not a finite number";
            return false;
        }

        if (number < min || number > max)
        {
            detail = string.Create(CultureInfo.InvariantCulture, $"'{name}' {Describe(element)} is outside [{min}, {max}]");
            return false;
        }

        value = number;
        return true;
    }

    private static bool TrySeq(JsonElement root, out long? seq, out string? detail)
    {
        seq = null;
        detail = null;
        if (!root.TryGetProperty("seq", out var element) || element.ValueKind != JsonValueKind.Number)
        {
            return true;
        }

        if (!element.TryGetInt64(out var number) || number < 0 || number > MaxSeq)
        {
            detail = string.Create(CultureInfo.InvariantCulture, $"'seq' {Describe(element)} is not an integer in [0, {MaxSeq}]");
            return false;
        }

        seq = number;
        return true;
    }

    /// <summary>A number's own text for a rejection's detail, capped.</summary>
    private static string Describe(JsonElement element) => element.GetRawText() is { Length: > 40 } raw ? raw[..40] + "..." : element.GetRawText();

    /// <summary>
    /// Cheap pre-check: does the body hold a <c>\uD800</c>-<c>\uDFFF</c> escape? The JSON reader accepts such escapes unpaired, and
    /// reading that string later (a rule, the API serialising the host) throws; only bodies with one are walked.
    /// </summary>
    private static bool MayHoldLoneSurrogate(ReadOnlySpan<byte> utf8)
    {
        int at;
        while ((at = utf8.IndexOf("\\u"u8)) >= 0 && at + 3 < utf8.Length)
        {
            if (utf8[at + 2] is (byte)'d' or (byte)'D' && utf8[at + 3] is (>= (byte)'8' and <= (byte)'9') or (>= (byte)'a' and <= (byte)'f') or (>= (byte)'A' and <= (byte)'F'))
            {
                return true;
            }

            utf8 = utf8[(at + 2)..];
        }

        return false;
    }

    /// <summary>The JSON path of the first string or property name that cannot be read as text, or null when all can.</summary>
    private static string? FindInvalidText(JsonElement element, string path)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.String:
                try
                {
                    _ = element.GetString();
                    return null;
                }
                catch (InvalidOperationException)
                {
                    return path;
                }

            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    string name;
                    try
                    {
                        name = property.Name;
                    }
                    catch (InvalidOperationException)
                    {
                        return $"a property name in {path}";
                    }

                    if (FindInvalidText(property.Value, $"{path}.{name}") is { } found)
                    {
                        return found;
                    }
                }

                return null;

            case JsonValueKind.Array:
                var i = 0;
                foreach (var item in element.EnumerateArray())
                {
                    if (FindInvalidText(item, string.Create(CultureInfo.InvariantCulture, $"{path}[{i++}]")) is { } found)
                    {
                        return found;
                    }
                }

                return null;

            default:
                return null;
        }
    }
}

/// <summary>
/// An accepted frame read in place (<see cref="FrameEnvelope.TryParseInPlace"/>): <see cref="Envelope"/> is valid until
/// this is disposed, which returns the document's pooled buffers.
/// </summary>
public sealed class ParsedFrame : IDisposable
{
    private readonly JsonDocument _document;

    internal ParsedFrame(FrameEnvelope envelope, JsonDocument document)
    {
        Envelope = envelope;
        _document = document;
    }

    /// <summary>The frame; its <see cref="FrameEnvelope.Body"/> and <see cref="FrameEnvelope.Utf8"/> are valid until <see cref="Dispose"/>.</summary>
    public FrameEnvelope Envelope { get; }

    /// <inheritdoc />
    public void Dispose() => _document.Dispose();
}
