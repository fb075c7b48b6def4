using System.Globalization;
using System.Text;

namespace Psistats.Agent.Reporters.HddSpace;

/// <summary>
/// One line of <c>/proc/PID/mountinfo</c> (proc(5)): <c>36 35 98:0 /mnt1 /mnt2 rw,noatime master:1 - ext3 /dev/root rw</c>.
/// </summary>
/// <param name="MountId">Unique ID of the mount (field 1).</param>
/// <param name="ParentId">ID of the mount it is mounted on (field 2); a mount stacked on another at the same point has that one as parent.</param>
/// <param name="Device">st_dev of the filesystem as <c>major:minor</c> (field 3); the same for every mount of one filesystem (bind mounts, btrfs subvolumes).</param>
/// <param name="Root">The directory of the filesystem that is mounted (field 4): <c>/</c>, or a subdirectory for a bind mount or btrfs subvolume.</param>
/// <param name="MountPoint">Where it is mounted, relative to the reading process's root (field 5).</param>
/// <param name="FsType">Filesystem type, <c>type</c> or <c>type.subtype</c> (first field after the <c>-</c> separator).</param>
/// <param name="Source">Mount source, e.g. <c>/dev/sda1</c>, <c>server:/export</c>, <c>tmpfs</c> (may be empty).</param>
public sealed record MountEntry(int MountId, int ParentId, string Device, string Root, string MountPoint, string FsType, string Source);

/// <summary>Parses mountinfo text. Paths are unescaped: the kernel writes space, tab, newline and backslash as <c>\ooo</c> octal.</summary>
public static class MountInfo
{
    /// <summary>Every entry, in file order (mount order).</summary>
    /// <exception cref="FormatException">When a line does not have the mountinfo shape.</exception>
    public static IReadOnlyList<MountEntry> Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var entries = new List<MountEntry>();
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            entries.Add(ParseLine(line));
        }

        return entries;
    }

    private static MountEntry ParseLine(string line)
    {
        // Split on single spaces: an empty source shows as two spaces in a row and must stay a field.
        var fields = line.Split(' ');
        var separator = Array.IndexOf(fields, "-", 6);
        if (fields.Length < 10 || separator < 0 || separator + 2 >= fields.Length
            || !int.TryParse(fields[0], NumberStyles.None, CultureInfo.InvariantCulture, out var id)
            || !int.TryParse(fields[1], NumberStyles.None, CultureInfo.InvariantCulture, out var parent)
            || !fields[2].Contains(':', StringComparison.Ordinal))
        {
            throw new FormatException($"mountinfo line '{line}' does not have the shape 'ID PARENT MAJ:MIN ROOT POINT OPTIONS [OPTIONAL...] - TYPE SOURCE SUPEROPTIONS'");
        }

        return new MountEntry(id, parent, fields[2], Unescape(fields[3]), Unescape(fields[4]), Unescape(fields[separator + 1]),
            Unescape(fields[separator + 2]));
    }

    /// <summary>
    /// Decodes the kernel's <c>\ooo</c> octal escapes (fs/proc_namespace.c escapes space, tab, newline and backslash
    /// this way, so <c>\040</c> is a space); any other backslash stays as it is.
    /// </summary>
    public static string Unescape(string field)
    {
        ArgumentNullException.ThrowIfNull(field);
        if (!field.Contains('\\', StringComparison.Ordinal))
        {
            return field;
        }

        var text = new StringBuilder(field.Length);
        for (var i = 0; i < field.Length; i++)
        {
            if (field[i] == '\\' && IsOctal(field, i + 1, out var value))
            {
                text.Append(value);
                i += 3;
            }
            else
            {
                text.Append(field[i]);
            }
        }

        return text.ToString();
    }

    private static bool IsOctal(string s, int start, out char value)
    {
        value = '\0';
        if (start + 3 > s.Length || s[start] is < '0' or > '3' || s[start + 1] is < '0' or > '7' || s[start + 2] is < '0' or > '7')
        {
            return false;
        }

        value = (char)(((s[start] - '0') * 64) + ((s[start + 1] - '0') * 8) + (s[start + 2] - '0'));
        return true;
    }
}
