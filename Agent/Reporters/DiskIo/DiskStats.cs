using System.Text;

namespace Psistats.Agent.Reporters.DiskIo;

/// <summary>
/// The fields of one /proc/diskstats line, numbered as Documentation/admin-guide/iostats.rst numbers them. The
/// counts (ios, merges, sectors) are <c>unsigned long</c> in the kernel (32 bits on 32-bit kernels); the millisecond
/// fields are printed as <c>unsigned int</c> on every kernel and wrap at 2^32.
/// </summary>
public readonly record struct DiskCounters
{
    /// <summary>Field 1: reads completed.</summary>
    public ulong ReadIos { get; init; }

    /// <summary>Field 2: reads merged.</summary>
    public ulong ReadMerges { get; init; }

    /// <summary>Field 3: sectors (512 bytes) read.</summary>
    public ulong ReadSectors { get; init; }

    /// <summary>Field 4: milliseconds spent reading.</summary>
    public ulong ReadTicks { get; init; }

    /// <summary>Field 5: writes completed.</summary>
    public ulong WriteIos { get; init; }

    /// <summary>Field 6: writes merged.</summary>
    public ulong WriteMerges { get; init; }

    /// <summary>Field 7: sectors written.</summary>
    public ulong WriteSectors { get; init; }

    /// <summary>Field 8: milliseconds spent writing.</summary>
    public ulong WriteTicks { get; init; }

    /// <summary>Field 9: I/Os in progress (not a counter; unused by iostat -x).</summary>
    public ulong InFlight { get; init; }

    /// <summary>Field 10: milliseconds spent doing I/Os (%util).</summary>
    public ulong IoTicks { get; init; }

    /// <summary>Field 11: weighted milliseconds spent doing I/Os (aqu-sz).</summary>
    public ulong TimeInQueue { get; init; }

    /// <summary>Field 12: discards completed (Linux 4.18+).</summary>
    public ulong DiscardIos { get; init; }

    /// <summary>Field 13: discards merged.</summary>
    public ulong DiscardMerges { get; init; }

    /// <summary>Field 14: sectors discarded.</summary>
    public ulong DiscardSectors { get; init; }

    /// <summary>Field 15: milliseconds spent discarding.</summary>
    public ulong DiscardTicks { get; init; }

    /// <summary>Field 16: flush requests completed (Linux 5.5+).</summary>
    public ulong FlushIos { get; init; }

    /// <summary>Field 17: milliseconds spent flushing.</summary>
    public ulong FlushTicks { get; init; }

    /// <summary>How many fields the line had: 11 (kernels before 4.18), 15 (discard fields) or 17 (flush fields).</summary>
    public int FieldCount { get; init; }

    /// <summary>Whether the kernel gave the discard fields 12-15.</summary>
    public bool HasDiscard => FieldCount >= 15;

    /// <summary>Whether the kernel gave the flush fields 16-17.</summary>
    public bool HasFlush => FieldCount >= 17;

    /// <summary>Builds the counters from the fields in file order (missing trailing fields read as 0).</summary>
    public static DiskCounters FromFields(ReadOnlySpan<ulong> fields, int count)
    {
        Span<ulong> f = stackalloc ulong[17];
        fields[..Math.Min(fields.Length, 17)].CopyTo(f);
        return new DiskCounters
        {
            ReadIos = f[0], ReadMerges = f[1], ReadSectors = f[2], ReadTicks = f[3],
            WriteIos = f[4], WriteMerges = f[5], WriteSectors = f[6], WriteTicks = f[7],
            InFlight = f[8], IoTicks = f[9], TimeInQueue = f[10],
            DiscardIos = f[11], DiscardMerges = f[12], DiscardSectors = f[13], DiscardTicks = f[14],
            FlushIos = f[15], FlushTicks = f[16],
            FieldCount = count,
        };
    }
}

/// <summary>One device line of /proc/diskstats: the kernel's device name (bytes, valid as long as the text is) and its counters.</summary>
public readonly ref struct DiskStatsLine(ReadOnlySpan<byte> name, DiskCounters counters)
{
    /// <summary>Device name as the kernel prints it, e.g. <c>nvme0n1</c>.</summary>
    public ReadOnlySpan<byte> Name { get; } = name;

    /// <summary>The line's counters.</summary>
    public DiskCounters Counters { get; } = counters;
}

/// <summary>
/// Enumerates the device lines of a /proc/diskstats text without allocating: <c>major minor name</c> then 11, 15 or
/// 17 fields (lines of 14, 18 or 20 fields in all; more fields from a future kernel are ignored). Partition lines of
/// kernels before 2.6.25 have only 4 fields (no extended statistics) and are skipped, as <c>iostat -x</c> skips them.
/// </summary>
/// <exception cref="FormatException">From <see cref="MoveNext"/>, when a line has another shape or a field is not a counter.</exception>
public ref struct DiskStatsReader(ReadOnlySpan<byte> text, string path)
{
    private const int MaxFields = 17;
    private ReadOnlySpan<byte> _text = text;

    /// <summary>The current line.</summary>
    public DiskStatsLine Current { get; private set; }

    /// <summary>For <c>foreach</c>.</summary>
    public readonly DiskStatsReader GetEnumerator() => this;

    /// <summary>Moves to the next device line; false at the end.</summary>
    public bool MoveNext()
    {
        Span<ulong> fields = stackalloc ulong[MaxFields];
        while (KernelText.NextLine(ref _text, out var line))
        {
            var rest = line;
            if (!KernelText.NextField(ref rest, out _))
            {
                continue;
            }

            if (!KernelText.NextField(ref rest, out _) || !KernelText.NextField(ref rest, out var name))
            {
                throw new FormatException($"{path}: line '{Encoding.ASCII.GetString(line).Trim()}' has no device name");
            }

            var count = 0;
            while (KernelText.NextField(ref rest, out var field))
            {
                var value = KernelText.ParseCounter(field, path);
                if (count < MaxFields)
                {
                    fields[count] = value;
                }

                count++;
            }

            if (count == 4)
            {
                continue;
            }

            if (count < 11)
            {
                throw new FormatException($"{path}: line '{Encoding.ASCII.GetString(line).Trim()}' has {count} fields after the device name (expected 11, 15 or 17)");
            }

            Current = new DiskStatsLine(name, DiskCounters.FromFields(fields[..Math.Min(count, MaxFields)], Math.Min(count, MaxFields)));
            return true;
        }

        return false;
    }
}
