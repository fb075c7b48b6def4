using System.Text;

namespace Psistats.Agent.Reporters.Os;

/// <summary>
/// Parses os-release(5): newline-separated shell-compatible <c>KEY=value</c> assignments. Values may be unquoted,
/// "double quoted" (a backslash escapes <c>$ ` " \</c> and a newline; before any other character it stays, as in the
/// shell) or 'single quoted' (no escapes); adjacent pieces join as in the shell. Lines starting with <c>#</c>,
/// blank lines and lines that are not an assignment are ignored, as is anything after the value; no expansion of
/// <c>$VAR</c>. An assignment with an unterminated quote is dropped. A key given twice keeps the last value.
/// </summary>
public static class OsRelease
{
    /// <summary>Key -> unquoted value.</summary>
    public static IReadOnlyDictionary<string, string> Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var i = 0;
        while (i < text.Length)
        {
            while (i < text.Length && char.IsWhiteSpace(text[i]))
            {
                i++;
            }

            var keyStart = i;
            while (i < text.Length && (text[i] == '_' || char.IsAsciiLetter(text[i]) || (i > keyStart && char.IsAsciiDigit(text[i]))))
            {
                i++;
            }

            if (i > keyStart && i < text.Length && text[i] == '=')
            {
                var key = text[keyStart..i];
                i++;
                if (ReadValue(text, ref i) is { } value)
                {
                    values[key] = value;
                }
            }

            while (i < text.Length && text[i] != '\n')
            {
                i++;
            }
        }

        return values;
    }

    /// <summary>One shell word from <paramref name="i"/> up to unquoted whitespace; null when a quote is not closed.</summary>
    private static string? ReadValue(string text, ref int i)
    {
        var value = new StringBuilder();
        while (i < text.Length && text[i] is not (' ' or '\t' or '\n'))
        {
            switch (text[i])
            {
                case '"':
                    for (i++; i < text.Length && text[i] != '"'; i++)
                    {
                        if (text[i] == '\\' && i + 1 < text.Length && text[i + 1] is '$' or '`' or '"' or '\\' or '\n')
                        {
                            i++;
                            if (text[i] != '\n')
                            {
                                value.Append(text[i]);
                            }
                        }
                        else
                        {
                            value.Append(text[i]);
                        }
                    }

                    if (i >= text.Length)
                    {
                        return null;
                    }

                    i++;
                    break;
                case '\'':
                    var end = text.IndexOf('\'', i + 1);
                    if (end < 0)
                    {
                        return null;
                    }

                    value.Append(text, i + 1, end - i - 1);
                    i = end + 1;
                    break;
                case '\\':
                    // Unquoted: the backslash quotes the next character; before a newline it joins the lines.
                    if (i + 1 < text.Length && text[i + 1] != '\n')
                    {
                        value.Append(text[i + 1]);
                    }

                    i += 2;
                    break;
                default:
                    value.Append(text[i]);
                    i++;
                    break;
            }
        }

        return value.ToString();
    }
}
