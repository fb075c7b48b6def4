using System.Buffers.Text;
using System.Text;

namespace Psistats.Agent.Reporters;

/// <summary>
/// Allocation-free reading of kernel text: ASCII lines of fields separated by spaces or tabs, as the /proc files
/// print them (proc(5)). Used on the bytes a <see cref="KernelFile"/> returns.
/// </summary>
public static class KernelText
{
    /// <summary>Takes the next line (without its <c>\n</c>) off <paramref name="text"/>; false when nothing is left.</summary>
    public static bool NextLine(scoped ref ReadOnlySpan<byte> text, out ReadOnlySpan<byte> line)
    {
        if (text.IsEmpty)
        {
            line = default;
            return false;
        }

        var end = text.IndexOf((byte)'\n');
        if (end < 0)
        {
            line = text;
            text = default;
        }
        else
        {
            line = text[..end];
            text = text[(end + 1)..];
        }

        return true;
    }

    /// <summary>Takes the next field (a run of characters other than space and tab) off <paramref name="line"/>; false when none is left.</summary>
    public static bool NextField(scoped ref ReadOnlySpan<byte> line, out ReadOnlySpan<byte> field)
    {
        var start = line.IndexOfAnyExcept((byte)' ', (byte)'\t');
        if (start < 0)
        {
            field = default;
            line = default;
            return false;
        }

        line = line[start..];
        var end = line.IndexOfAny((byte)' ', (byte)'\t');
        if (end < 0)
        {
            field = line;
            line = default;
        }
        else
        {
            field = line[..end];
            line = line[end..];
        }

        return true;
    }

    /// <summary>A decimal unsigned counter that fills the whole <paramref name="field"/>.</summary>
    /// <param name="field">The field's bytes.</param>
    /// <param name="file">The file it comes from, for the error message.</param>
    /// <exception cref="FormatException">When the field is not a decimal number that fits 64 bits.</exception>
    public static ulong ParseCounter(ReadOnlySpan<byte> field, string file)
    {
        ArgumentNullException.ThrowIfNull(file);
        return Utf8Parser.TryParse(field, out ulong value, out var consumed) && consumed == field.Length
            ? value
            : throw new FormatException($"{file}: '{Encoding.ASCII.GetString(field)}' is not a counter");
    }
}
