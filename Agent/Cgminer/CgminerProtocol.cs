using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;
using Psistats.Contracts.Frames;

namespace Psistats.Agent.Cgminer;

/// <summary>
/// cgminer's RPC protocol (API-README, api.c): the request a client sends, and the one place a reply's bytes become a
/// <see cref="CgminerResult"/>. Parsing never throws: whatever the bytes, the result is a reply or an error value.
/// Repairs, in order: every NUL byte is removed (cgminer ends each reply with one); bytes that are not UTF-8 become
/// U+FFFD; <c>}</c> followed by <c>{</c> outside a string gets the missing comma (the <c>}{</c> quirk of several forks
/// inside <c>STATS</c>, e.g. Bitmain's). A reply that does not start with <c>{</c> is read as cgminer's text format
/// (<see cref="CgminerTextFormat"/>).
/// </summary>
public static class CgminerProtocol
{
    /// <summary>Deepest JSON nesting accepted in a reply (cgminer's are 3 deep); deeper replies are <c>bad_json</c>.</summary>
    public const int MaxDepth = 32;

    /// <summary>The JSON request <c>{"command":"CMD","parameter":"P"}</c> (parameter left out when null), UTF-8, sent in one write.</summary>
    public static byte[] JsonRequest(string command, string? parameter)
    {
        ArgumentException.ThrowIfNullOrEmpty(command);
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("command", command);
            if (parameter is not null)
            {
                writer.WriteString("parameter", parameter);
            }

            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Parses the bytes received for one command.</summary>
    /// <param name="command">The command sent (for the error value).</param>
    /// <param name="parameter">Its parameter, or null.</param>
    /// <param name="raw">What was received, up to and including the terminating NUL when there was one.</param>
    /// <param name="terminated">True when the NUL that ends a cgminer reply was received; false when the connection closed first.</param>
    /// <returns>The reply (STATUS S, I or W), or an error: <c>empty</c>, <c>truncated</c>, <c>bad_json</c> or <c>status_error</c>.</returns>
    public static CgminerResult Parse(string command, string? parameter, ReadOnlySpan<byte> raw, bool terminated)
    {
        var bytes = ValidUtf8(WithoutNuls(raw));
        var start = 0;
        while (start < bytes.Length && bytes[start] is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n')
        {
            start++;
        }

        if (start == bytes.Length)
        {
            return terminated
                ? CgminerResult.Failed(command, parameter, CgminerErrorKind.BadJson, "the reply is empty")
                : CgminerResult.Failed(command, parameter, CgminerErrorKind.Empty,
                    "the connection closed without a reply (does the miner's --api-allow list this host?)");
        }

        byte[]? json;
        if (bytes[start] == (byte)'{')
        {
            json = RepairBraces(bytes.AsSpan(start));
        }
        else
        {
            var text = Encoding.UTF8.GetString(bytes, start, bytes.Length - start);
            json = CgminerTextFormat.ToJson(text);
            if (json is null || (!terminated && !text.EndsWith('|')))
            {
                return Unusable(command, parameter, terminated, $"neither JSON nor cgminer's text format: '{Excerpt(text)}'");
            }
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = MaxDepth });
        }
        catch (JsonException ex)
        {
            return Unusable(command, parameter, terminated, ex.Message);
        }

        using (document)
        {
            try
            {
                CheckStrings(document.RootElement);
            }
            catch (InvalidOperationException ex)
            {
                // An escape that is not text, such as a lone surrogate \ud800: JsonDocument finds it only when read.
                return CgminerResult.Failed(command, parameter, CgminerErrorKind.BadJson, $"invalid reply: {ex.Message}");
            }

            return FromJson(command, parameter, document.RootElement);
        }
    }

    /// <summary>Reads every string and property name once, so that an undecodable one fails here and not in a later reader.</summary>
    private static void CheckStrings(JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    _ = property.Name;
                    CheckStrings(property.Value);
                }

                break;
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray())
                {
                    CheckStrings(item);
                }

                break;
            case JsonValueKind.String:
                _ = element.GetString();
                break;
        }
    }

    private static CgminerResult FromJson(string command, string? parameter, JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            return CgminerResult.Failed(command, parameter, CgminerErrorKind.BadJson, $"the reply is a JSON {root.ValueKind}, not an object");
        }

        var sections = new Dictionary<string, IReadOnlyList<JsonElement>>(StringComparer.Ordinal);
        CgminerStatus? status = null;
        foreach (var property in root.EnumerateObject())
        {
            var entries = property.Value.ValueKind switch
            {
                JsonValueKind.Array => property.Value.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.Object).Select(e => e.Clone()).ToList(),
                JsonValueKind.Object => [property.Value.Clone()],
                _ => null,
            };
            if (entries is null)
            {
                continue;
            }

            if (property.NameEquals("STATUS"))
            {
                status ??= entries.Count > 0 ? Status(entries[0]) : null;
            }
            else
            {
                sections[property.Name] = entries;
            }
        }

        if (status is null)
        {
            return CgminerResult.Failed(command, parameter, CgminerErrorKind.BadJson, "the reply has no STATUS");
        }

        if (status.IsError)
        {
            return CgminerResult.Failed(new CgminerApiError
            {
                Command = command,
                Parameter = parameter,
                Kind = CgminerErrorKind.StatusError,
                Message = status.Msg ?? $"STATUS {status.Status}",
                Status = status.Status,
                Code = status.Code,
            });
        }

        return CgminerResult.Ok(new CgminerReply(status, sections));
    }

    private static CgminerStatus? Status(JsonElement entry)
    {
        var reader = new CgminerEntry(entry);
        return reader.String("STATUS") is { Length: > 0 } letter
            ? new CgminerStatus(letter, reader.Long("When"), reader.Long("Code"), reader.String("Msg"), reader.String("Description"))
            : null;
    }

    private static CgminerResult Unusable(string command, string? parameter, bool terminated, string detail) => terminated
        ? CgminerResult.Failed(command, parameter, CgminerErrorKind.BadJson, $"invalid reply: {detail}")
        : CgminerResult.Failed(command, parameter, CgminerErrorKind.Truncated, $"the connection closed before the end of the reply: {detail}");

    private static byte[] WithoutNuls(ReadOnlySpan<byte> raw)
    {
        var bytes = new byte[raw.Length - raw.Count((byte)0)];
        var n = 0;
        foreach (var b in raw)
        {
            if (b != 0)
            {
                bytes[n++] = b;
            }
        }

        return bytes;
    }

    private static byte[] ValidUtf8(byte[] bytes) => Utf8.IsValid(bytes) ? bytes : Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(bytes));

    /// <summary>Inserts the comma missing between <c>}</c> and <c>{</c> (whitespace between them allowed), outside strings.</summary>
    private static byte[] RepairBraces(ReadOnlySpan<byte> json)
    {
        var output = new ArrayBufferWriter<byte>(json.Length + 16);
        var inString = false;
        for (var i = 0; i < json.Length; i++)
        {
            var b = json[i];
            output.Write([b]);
            if (inString)
            {
                if (b == (byte)'\\' && i + 1 < json.Length)
                {
                    output.Write([json[++i]]);
                }
                else if (b == (byte)'"')
                {
                    inString = false;
                }
            }
            else if (b == (byte)'"')
            {
                inString = true;
            }
            else if (b == (byte)'}')
            {
                var next = i + 1;
                while (next < json.Length && json[next] is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n')
                {
                    next++;
                }

                if (next < json.Length && json[next] == (byte)'{')
                {
                    output.Write(","u8);
                }
            }
        }

        return output.WrittenSpan.ToArray();
    }

    private static string Excerpt(string text)
    {
        var line = text.Length > 60 ? text[..60] + "..." : text;
        return new string(line.Select(c => char.IsControl(c) ? '?' : c).ToArray());
    }
}
