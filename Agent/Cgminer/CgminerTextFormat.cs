using System.Buffers;
using System.Text;
using System.Text.Json;

namespace Psistats.Agent.Cgminer;

/// <summary>
/// cgminer's text format, the answer to a text request (<c>summary|</c>), as api.c <c>print_data()</c> and
/// <c>message()</c> write it with <c>isjson</c> false: records end with <c>|</c>, fields are separated by <c>,</c>, a field
/// is <c>name=value</c>; the first record is the status (<c>STATUS=S,When=...,Code=11,Msg=Summary,Description=cgminer 4.3.5|</c>);
/// the first record of a section starts with the section name as a bare field (<c>SUMMARY,Elapsed=12,MHS av=...|</c>);
/// <c>escape_string()</c> puts a backslash before <c>, | = \</c> inside values. Converted to the JSON shape of the
/// same reply (every value a string), so that one reader handles both formats.
/// </summary>
public static class CgminerTextFormat
{
    /// <summary>Converts a text reply to JSON bytes, or returns null when it is not in the text format (no status record).</summary>
    public static byte[]? ToJson(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var records = Split(text, '|');
        if (records.Count > 0 && records[^1].Length == 0)
        {
            records.RemoveAt(records.Count - 1);
        }

        var sections = new List<(string Name, List<List<(string Key, string Value)>> Entries)>();
        string? current = null;
        foreach (var record in records)
        {
            var fields = new List<(string Key, string Value)>();
            var first = true;
            foreach (var field in Split(record, ','))
            {
                var equals = IndexOfUnescaped(field, '=');
                if (equals < 0)
                {
                    if (first && field.Length > 0)
                    {
                        current = Unescape(field);
                    }
                }
                else
                {
                    fields.Add((Unescape(field[..equals]), Unescape(field[(equals + 1)..])));
                }

                first = false;
            }

            if (sections.Count == 0)
            {
                if (fields.Count == 0 || fields[0].Key != "STATUS")
                {
                    return null;
                }

                sections.Add(("STATUS", [fields]));
                current = null;
                continue;
            }

            if (fields.Count == 0)
            {
                continue;
            }

            // A record of a section whose name line is missing goes under its first key (ASC=0,... -> ASC).
            var name = current ?? fields[0].Key;
            var index = sections.FindIndex(s => s.Name == name);
            if (index < 0)
            {
                sections.Add((name, []));
                index = sections.Count - 1;
            }

            sections[index].Entries.Add(fields);
        }

        if (sections.Count == 0)
        {
            return null;
        }

        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            foreach (var (name, entries) in sections)
            {
                writer.WriteStartArray(name);
                foreach (var entry in entries)
                {
                    writer.WriteStartObject();
                    foreach (var (key, value) in entry)
                    {
                        writer.WriteString(key, value);
                    }

                    writer.WriteEndObject();
                }

                writer.WriteEndArray();
            }

            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Splits at every <paramref name="separator"/> not preceded by an escaping backslash; the parts keep their escapes.</summary>
    private static List<string> Split(string text, char separator)
    {
        var parts = new List<string>();
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '\\')
            {
                i++;
            }
            else if (text[i] == separator)
            {
                parts.Add(text[start..i]);
                start = i + 1;
            }
        }

        parts.Add(text[start..]);
        return parts;
    }

    private static int IndexOfUnescaped(string text, char wanted)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '\\')
            {
                i++;
            }
            else if (text[i] == wanted)
            {
                return i;
            }
        }

        return -1;
    }

    private static string Unescape(string text)
    {
        if (!text.Contains('\\', StringComparison.Ordinal))
        {
            return text;
        }

        var builder = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '\\' && i + 1 < text.Length)
            {
                i++;
            }

            builder.Append(text[i]);
        }

        return builder.ToString();
    }
}
