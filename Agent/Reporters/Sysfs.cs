using System.Globalization;

namespace Psistats.Agent.Reporters;

/// <summary>
/// Reading sysfs attributes the way libsensors does: one value per file, and a file that cannot be read this time
/// (EIO or ENODATA from a sleeping sensor, ENXIO, a permission) counts as absent rather than as a failure.
/// Also resolves sysfs symlinks physically (<c>hwmonN/device -> ../../../coretemp.0</c> is relative to the link's real
/// folder, which .NET's textual <see cref="FileSystemInfo.ResolveLinkTarget(bool)"/> gets wrong under a symlinked parent).
/// </summary>
public static class Sysfs
{
    private const int MaxLinkHops = 40;

    /// <summary>The trimmed content of an attribute, or null when it is absent, unreadable or empty.</summary>
    public static string? ReadText(string path)
    {
        try
        {
            var text = File.ReadAllText(path).Trim();
            return text.Length == 0 ? null : text;
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>An integer attribute (sysfs-interface.rst: every value is a fixed-point integer), or null when absent, unreadable or not a number.</summary>
    public static long? ReadLong(string path) =>
        long.TryParse(ReadText(path), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) ? value : null;

    /// <summary>
    /// The physical path of <paramref name="path"/> with every symlink resolved, as realpath(3) computes it;
    /// null when a component does not exist or the links loop.
    /// </summary>
    public static string? RealPath(string path)
    {
        var pending = new Stack<string>(Path.GetFullPath(path).Split('/', StringSplitOptions.RemoveEmptyEntries).Reverse());
        var resolved = "/";
        var hops = 0;
        while (pending.TryPop(out var part))
        {
            if (part == ".")
            {
                continue;
            }

            if (part == "..")
            {
                resolved = Path.GetDirectoryName(resolved) ?? "/";
                continue;
            }

            var candidate = Path.Join(resolved, part);
            string? target;
            try
            {
                target = new FileInfo(candidate).LinkTarget;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                return null;
            }

            if (target is null)
            {
                if (!Path.Exists(candidate))
                {
                    return null;
                }

                resolved = candidate;
                continue;
            }

            if (++hops > MaxLinkHops)
            {
                return null;
            }

            if (target.StartsWith('/'))
            {
                resolved = "/";
            }

            foreach (var next in target.Split('/', StringSplitOptions.RemoveEmptyEntries).Reverse())
            {
                pending.Push(next);
            }
        }

        return resolved;
    }

    /// <summary>
    /// The device a sysfs object's <c>device</c> link points to, relative to <c>/sys/devices</c> (e.g. <c>platform/coretemp.0</c>),
    /// with its physical path; null when there is no such link or it leads outside <c>/sys/devices</c>.
    /// </summary>
    /// <param name="sysRoot">The sysfs root (<c>/sys</c> or a fixture tree).</param>
    /// <param name="objectDir">The object's folder, e.g. <c>/sys/class/hwmon/hwmon2</c>.</param>
    public static (string Relative, string Physical)? DeviceOf(string sysRoot, string objectDir)
    {
        var physical = RealPath(Path.Combine(objectDir, "device"));
        var devices = RealPath(Path.Combine(sysRoot, "devices"));
        if (physical is null || devices is null)
        {
            return null;
        }

        var relative = Path.GetRelativePath(devices, physical);
        return relative == "." || relative.StartsWith("..", StringComparison.Ordinal) || Path.IsPathRooted(relative)
            ? null
            : (relative, physical);
    }

    /// <summary>The entries (folders or symlinks) of a sysfs class folder such as <c>class/hwmon</c>; empty when it does not exist.</summary>
    public static IEnumerable<string> Entries(string dir, string pattern = "*") =>
        Directory.Exists(dir) ? Directory.EnumerateFileSystemEntries(dir, pattern) : [];

    /// <summary>The file names in a folder (attributes of a sysfs object), following a symlinked folder; empty when it does not exist.</summary>
    public static HashSet<string> AttributeNames(string dir) =>
        Directory.Exists(dir)
            ? Directory.EnumerateFiles(dir).Select(f => Path.GetFileName(f)).ToHashSet(StringComparer.Ordinal)
            : [];

    /// <summary>The number at the end of a sysfs name (<c>thermal_zone12</c> -> 12), for natural ordering; -1 when none.</summary>
    public static long TrailingNumber(string name)
    {
        var start = name.Length;
        while (start > 0 && char.IsAsciiDigit(name[start - 1]))
        {
            start--;
        }

        return start < name.Length && long.TryParse(name.AsSpan(start), NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : -1;
    }
}
