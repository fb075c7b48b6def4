using System.Text;
using Psistats.Contracts.Frames;

namespace Psistats.Agent.Reporters.Net;

/// <summary>
/// The counters of one /proc/net/dev line that the reporter uses (the Receive and Transmit bytes, packets, errs and
/// drop columns). The kernel prints them as 64-bit values; drivers of 32-bit kernels keep 32-bit counters that wrap at 2^32.
/// </summary>
public readonly record struct NetCounters(
    ulong RxBytes, ulong RxPackets, ulong RxErrors, ulong RxDropped,
    ulong TxBytes, ulong TxPackets, ulong TxErrors, ulong TxDropped);

/// <summary>One interface line of /proc/net/dev: the interface name (bytes, valid as long as the text is) and its counters.</summary>
public readonly ref struct NetDevLine(ReadOnlySpan<byte> name, NetCounters counters)
{
    /// <summary>Interface name, e.g. <c>eth0</c>.</summary>
    public ReadOnlySpan<byte> Name { get; } = name;

    /// <summary>The line's counters.</summary>
    public NetCounters Counters { get; } = counters;
}

/// <summary>
/// Enumerates the interface lines of a /proc/net/dev text without allocating: after the two header lines,
/// "<c>name: rx_bytes rx_packets rx_errs rx_drop rx_fifo rx_frame rx_compressed rx_multicast tx_bytes tx_packets
/// tx_errs tx_drop tx_fifo tx_colls tx_carrier tx_compressed</c>" (16 columns since Linux 2.4). Old kernels print no
/// space between the colon and a wide first number (<c>eth0:123456789</c>), so the name ends at the colon.
/// </summary>
/// <exception cref="FormatException">From <see cref="MoveNext"/>, when an interface line has fewer than 16 counters or a counter is not a number.</exception>
public ref struct NetDevReader(ReadOnlySpan<byte> text, string path)
{
    private const int Columns = 16;
    private ReadOnlySpan<byte> _text = text;

    /// <summary>The current line.</summary>
    public NetDevLine Current { get; private set; }

    /// <summary>For <c>foreach</c>.</summary>
    public readonly NetDevReader GetEnumerator() => this;

    /// <summary>Moves to the next interface line; false at the end.</summary>
    public bool MoveNext()
    {
        Span<ulong> columns = stackalloc ulong[Columns];
        while (KernelText.NextLine(ref _text, out var line))
        {
            var colon = line.IndexOf((byte)':');
            if (colon < 0)
            {
                continue;
            }

            var name = line[..colon].Trim((byte)' ');
            var rest = line[(colon + 1)..];
            var count = 0;
            while (count < Columns && KernelText.NextField(ref rest, out var field))
            {
                columns[count++] = KernelText.ParseCounter(field, path);
            }

            if (count < Columns || name.IsEmpty)
            {
                throw new FormatException($"{path}: line '{Encoding.ASCII.GetString(line).Trim()}' is not 'name: ' and {Columns} counters");
            }

            Current = new NetDevLine(name, new NetCounters(
                columns[0], columns[1], columns[2], columns[3],
                columns[8], columns[9], columns[10], columns[11]));
            return true;
        }

        return false;
    }
}

/// <summary>Rates of one interface from two /proc/net/dev samples.</summary>
public static class NetMath
{
    /// <summary>
    /// Δcounter/itv·100 per second (itv in hundredths of a second, as sar's <c>S_VALUE</c>), rounded to 2 decimals.
    /// When the interface looks re-created under the same name (received and sent packets both went down, and each byte
    /// counter went down or was 0), the previous sample counts as zeros, as iostat does for a re-inserted disk. Otherwise
    /// each counter is differenced by <see cref="CounterDelta.UnsignedLong"/>: a decrease from a value that fits 32 bits
    /// is a 32-bit counter that wrapped at 2^32.
    /// </summary>
    public static NetInterface Compute(in NetCounters previous, in NetCounters current, ulong interval)
    {
        var before = Restarted(previous, current) ? default : previous;
        var itv = (double)Math.Max(interval, 1);
        return new NetInterface
        {
            RxBytesPerSecond = Rate(before.RxBytes, current.RxBytes, itv),
            TxBytesPerSecond = Rate(before.TxBytes, current.TxBytes, itv),
            RxPacketsPerSecond = Rate(before.RxPackets, current.RxPackets, itv),
            TxPacketsPerSecond = Rate(before.TxPackets, current.TxPackets, itv),
            RxErrorsPerSecond = Rate(before.RxErrors, current.RxErrors, itv),
            TxErrorsPerSecond = Rate(before.TxErrors, current.TxErrors, itv),
            RxDroppedPerSecond = Rate(before.RxDropped, current.RxDropped, itv),
            TxDroppedPerSecond = Rate(before.TxDropped, current.TxDropped, itv),
        };
    }

    private static bool Restarted(in NetCounters previous, in NetCounters current) =>
        current.RxPackets < previous.RxPackets && current.TxPackets < previous.TxPackets
        && (previous.RxBytes == 0 || current.RxBytes < previous.RxBytes)
        && (previous.TxBytes == 0 || current.TxBytes < previous.TxBytes);

    private static double Rate(ulong previous, ulong current, double interval) =>
        Math.Round(CounterDelta.UnsignedLong(previous, current) / interval * 100, 2);
}
