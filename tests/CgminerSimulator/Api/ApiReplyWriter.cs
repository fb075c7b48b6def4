using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Psistats.CgminerSimulator.Api;

/// <summary>One command's result in a reply; <paramref name="Joined"/> is the command name when the request joined several with <c>+</c>.</summary>
internal sealed record ReplyPart(string? Joined, ApiResult Result);

/// <summary>
/// Writes replies byte for byte as api.c frames them, each ending with one NUL:
/// JSON <c>{"STATUS":[{...}],"SECTION":[{...},...],"id":1}</c>, joined <c>{"summary":[{...}],"pools":[{...}],"id":1}</c>;
/// text <c>STATUS=S,When=N,Code=11,Msg=Summary,Description=cgminer 4.3.5|SUMMARY,Elapsed=N,...|</c>, joined <c>CMD=summary|...CMD=pools|...</c>.
/// JSON goes through <see cref="Utf8JsonWriter"/>; keys keep cgminer's order, numbers keep cgminer's printf text.
/// </summary>
internal static class ApiReplyWriter
{
    private static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The JSON reply; <paramref name="braceQuirk"/> joins the objects of a STATS section with <c>}{</c> (no comma), as several forks do.</summary>
    public static byte[] Json(IReadOnlyList<ReplyPart> parts, long when, string description, bool braceQuirk)
    {
        ArgumentNullException.ThrowIfNull(parts);
        var buffer = new ArrayBufferWriter<byte>();
        var quirkCommas = new List<long>();
        using (var writer = new Utf8JsonWriter(buffer, Options))
        {
            if (parts is [{ Joined: null } single])
            {
                WriteResult(writer, single.Result, when, description, braceQuirk ? quirkCommas : null);
            }
            else
            {
                writer.WriteStartObject();
                foreach (var part in parts)
                {
                    writer.WriteStartArray(part.Joined ?? "");
                    WriteResult(writer, part.Result, when, description, braceQuirk ? quirkCommas : null);
                    writer.WriteEndArray();
                }

                writer.WriteNumber("id", 1);
                writer.WriteEndObject();
            }
        }

        var written = buffer.WrittenSpan;
        var reply = new List<byte>(written.Length + 1);
        long from = 0;
        foreach (var comma in quirkCommas)
        {
            reply.AddRange(written[(int)from..(int)comma]);
            from = comma + 1;
        }

        reply.AddRange(written[(int)from..]);
        reply.Add(0);
        return reply.ToArray();
    }

    /// <summary>The text reply.</summary>
    public static byte[] Text(IReadOnlyList<ReplyPart> parts, long when, string description)
    {
        ArgumentNullException.ThrowIfNull(parts);
        var text = new StringBuilder();
        foreach (var part in parts)
        {
            if (part.Joined is { } joined)
            {
                text.Append("CMD=").Append(EscapeText(joined)).Append('|');
            }

            var result = part.Result;
            if (result.Word is { } word)
            {
                text.Append(word);
                continue;
            }

            var status = result.Status!;
            text.Append(CultureInfo.InvariantCulture, $"STATUS={status.Severity},When={when},Code={status.Code},Msg={EscapeText(status.Msg)},Description={EscapeText(description)}|");
            if (result.TextHeader)
            {
                text.Append(result.Section).Append(',');
            }

            foreach (var record in result.Records)
            {
                text.AppendJoin(',', record.Items.Select(i => i.Key + "=" + (i.Value.Kind == ApiValueKind.Escape ? EscapeText(i.Value.Text) : i.Value.Text)));
                text.Append('|');
            }
        }

        return [.. Encoding.UTF8.GetBytes(text.ToString()), 0];
    }

    /// <summary>api.c's escape_string for text replies: <c>, | = \</c> get a backslash.</summary>
    public static string EscapeText(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var escaped = new StringBuilder(value.Length);
        foreach (var c in value)
        {
            if (c is ',' or '|' or '=' or '\\')
            {
                escaped.Append('\\');
            }

            escaped.Append(c);
        }

        return escaped.ToString();
    }

    private static void WriteResult(Utf8JsonWriter writer, ApiResult result, long when, string description, List<long>? quirkCommas)
    {
        writer.WriteStartObject();
        if (result.Word is { } word)
        {
            writer.WriteString("STATUS", word);
        }
        else
        {
            var status = result.Status!;
            writer.WriteStartArray("STATUS");
            writer.WriteStartObject();
            writer.WriteString("STATUS", status.Severity.ToString());
            writer.WriteNumber("When", when);
            writer.WriteNumber("Code", status.Code);
            writer.WriteString("Msg", status.Msg);
            writer.WriteString("Description", description);
            writer.WriteEndObject();
            writer.WriteEndArray();
            if (result.Section is { } section)
            {
                writer.WriteStartArray(section);
                for (var i = 0; i < result.Records.Count; i++)
                {
                    if (i > 0 && quirkCommas is not null && section == "STATS")
                    {
                        // The separator comma is written right where the previous object ended.
                        writer.Flush();
                        quirkCommas.Add(writer.BytesCommitted);
                    }

                    WriteRecord(writer, result.Records[i]);
                }

                writer.WriteEndArray();
            }
        }

        writer.WriteNumber("id", 1);
        writer.WriteEndObject();
    }

    private static void WriteRecord(Utf8JsonWriter writer, ApiRecord record)
    {
        writer.WriteStartObject();
        foreach (var (key, value) in record.Items)
        {
            if (value.Kind is ApiValueKind.String or ApiValueKind.Escape)
            {
                writer.WriteString(key, value.Text);
            }
            else
            {
                writer.WritePropertyName(key);
                writer.WriteRawValue(value.Text);
            }
        }

        writer.WriteEndObject();
    }
}
