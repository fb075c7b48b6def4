using Psistats.Contracts.Frames;

namespace Psistats.Agent.Reporters.HddSpace;

/// <summary>The statvfs(2) fields df uses, as the kernel gives them (unsigned counts).</summary>
/// <param name="BlockSize">f_bsize, bytes.</param>
/// <param name="FragmentSize">f_frsize, bytes: the unit of the block counts.</param>
/// <param name="Blocks">f_blocks.</param>
/// <param name="BlocksFree">f_bfree, free blocks including those reserved for root.</param>
/// <param name="BlocksAvailable">f_bavail, free blocks for unprivileged users.</param>
/// <param name="Files">f_files, inodes (0 when the filesystem does not count them).</param>
/// <param name="FilesFree">f_ffree, free inodes.</param>
public readonly record struct StatVfs(ulong BlockSize, ulong FragmentSize, ulong Blocks, ulong BlocksFree, ulong BlocksAvailable, ulong Files, ulong FilesFree);

/// <summary>
/// Turns statvfs values into df's numbers, as coreutils 9 computes them (src/df.c get_field_values and the
/// PCENT_FIELD case; gnulib lib/fsusage.c for the block size): size = f_blocks*f_frsize, used = (f_blocks-f_bfree)*f_frsize,
/// avail = f_bavail*f_frsize, Use% = ceil(used*100/(used+avail)) in integers over block counts; inodes: itotal = f_files,
/// iused = f_files-f_ffree, ifree = f_ffree, IUse% the same way.
/// </summary>
public static class DfUsage
{
    /// <summary>The filesystem's line as <c>df -B1</c> plus <c>df -i</c> would print it.</summary>
    /// <exception cref="FormatException">When a block count is "unknown" (all ones, df prints <c>-</c>) or the byte values do not fit 63 bits.</exception>
    public static FileSystemSpace Compute(StatVfs stat, string source, string fsType)
    {
        var unit = stat.FragmentSize != 0 ? stat.FragmentSize : stat.BlockSize;
        if (!Known(stat.Blocks) || !Known(stat.BlocksFree) || !Known(stat.BlocksAvailable))
        {
            throw new FormatException($"statvfs reports an unknown block count (f_blocks {stat.Blocks}, f_bfree {stat.BlocksFree}, f_bavail {stat.BlocksAvailable})");
        }

        // Two's complement, as df: f_bfree above f_blocks gives a negative used, f_bavail with its top bit set a negative avail.
        var used = unchecked((long)(stat.Blocks - stat.BlocksFree));
        var avail = unchecked((long)stat.BlocksAvailable);
        var hasInodes = stat.Files != 0 && Known(stat.Files) && Known(stat.FilesFree);
        var inodesUsed = unchecked((long)(stat.Files - stat.FilesFree));
        try
        {
            return new FileSystemSpace
            {
                Source = source,
                FsType = fsType,
                Size = checked((long)stat.Blocks * (long)unit),
                Used = checked(used * (long)unit),
                Available = checked(avail * (long)unit),
                PercentUsed = Percent(used, avail),
                InodesTotal = hasInodes ? (long)stat.Files : null,
                InodesUsed = hasInodes ? inodesUsed : null,
                InodesFree = hasInodes ? (long)stat.FilesFree : null,
                InodesPercentUsed = hasInodes ? Percent(inodesUsed, (long)stat.FilesFree) : null,
            };
        }
        catch (OverflowException ex)
        {
            throw new FormatException($"statvfs values do not fit 63 bits (f_blocks {stat.Blocks}, f_frsize {unit})", ex);
        }
    }

    /// <summary>
    /// df's percentage of <paramref name="used"/> in used+<paramref name="available"/>, rounded up; null where df prints
    /// <c>-</c> (nothing used nor available, or a negative result). Integer arithmetic when used is not negative, fits
    /// a hundredfold and the total is positive; otherwise df's floating-point fallback with the same upward rounding.
    /// </summary>
    public static int? Percent(long used, long available)
    {
        var total = (Int128)used + available;
        if (used >= 0 && (ulong)used <= ulong.MaxValue / 100 && total > 0)
        {
            var hundredfold = (Int128)used * 100;
            return (int)((hundredfold / total) + (hundredfold % total != 0 ? 1 : 0));
        }

        double u = used;
        double nonRootTotal = u + available;
        if (nonRootTotal == 0)
        {
            return null;
        }

        var percent = u * 100 / nonRootTotal;
        double truncated = (long)percent;
        if (truncated - 1 < percent && percent <= truncated + 1)
        {
            percent = truncated + (truncated < percent ? 1 : 0);
        }

        return percent < 0 ? null : (int)Math.Min(Math.Round(percent), int.MaxValue);
    }

    /// <summary>gnulib's known_value: all ones (and all ones minus one, AIX) mean "unknown".</summary>
    private static bool Known(ulong value) => value < ulong.MaxValue - 1;
}
