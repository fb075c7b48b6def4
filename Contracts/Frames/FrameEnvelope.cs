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
                envelope = new FrameEnvelope(e.Hostname, e.Reporter, e.Timestamp, e.Interval, e.Body.Clone());
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
            document = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = 64 });
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

            var envelope = new FrameEnvelope(hostname, reporter, Number(root, "timestamp"), Number(root, "interval"), root) { Utf8 = body };
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

    private static double? Number(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out var number)
            ? number
            : null;
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
