using Psistats.Contracts.Frames;

namespace Psistats.Agent.Reporters.DiskIo;

/// <summary>
/// The <c>iostat -dx</c> columns from two /proc/diskstats samples of one device, computed as Debian's sysstat 12.x
/// computes them (iostat.c <c>write_ext_stat()</c>/<c>write_json_ext_stat()</c>, common.c <c>compute_ext_disk_stats()</c>):
/// a rate is <c>S_VALUE</c> = Δ/itv·100 with itv the interval in hundredths of a second; kB are sectors/2; await and
/// request sizes divide by the I/O count of the same kind and are 0 without I/O; %util = Δio_ticks/itv·100/10.
/// </summary>
public static class DiskIoMath
{
    /// <summary>The device's values over the interval, rounded to 2 decimals as iostat prints them.</summary>
    /// <param name="previous">The earlier sample.</param>
    /// <param name="current">The later sample; its field count decides whether discard and flush columns are given.</param>
    /// <param name="interval">Hundredths of a second between the samples (at least 1, see <see cref="ProcUptime.Interval"/>).</param>
    /// <param name="dmName">The device-mapper name to report, or null.</param>
    /// <remarks>
    /// Counters: when the device looks removed and inserted again (iostat's test: the sum of the four I/O counts went down
    /// and every sector count went down or was 0), the previous sample counts as all zeros, as iostat does. Otherwise
    /// each count is differenced by <see cref="CounterDelta.UnsignedLong"/> (32-bit wrap) and each millisecond field by
    /// <see cref="CounterDelta.UnsignedInt"/> (modulo 2^32, as iostat's <c>unsigned int</c> arithmetic).
    /// %util is capped at 100, which iostat 12.6 does not do.
    /// </remarks>
    public static DiskIoDevice Compute(in DiskCounters previous, in DiskCounters current, ulong interval, string? dmName)
    {
        var before = Restarted(previous, current) ? default : previous;
        var itv = (double)Math.Max(interval, 1);

        var readIos = CounterDelta.UnsignedLong(before.ReadIos, current.ReadIos);
        var readMerges = CounterDelta.UnsignedLong(before.ReadMerges, current.ReadMerges);
        var readSectors = CounterDelta.UnsignedLong(before.ReadSectors, current.ReadSectors);
        var readTicks = CounterDelta.UnsignedInt(before.ReadTicks, current.ReadTicks);
        var writeIos = CounterDelta.UnsignedLong(before.WriteIos, current.WriteIos);
        var writeMerges = CounterDelta.UnsignedLong(before.WriteMerges, current.WriteMerges);
        var writeSectors = CounterDelta.UnsignedLong(before.WriteSectors, current.WriteSectors);
        var writeTicks = CounterDelta.UnsignedInt(before.WriteTicks, current.WriteTicks);
        var ioTicks = CounterDelta.UnsignedInt(before.IoTicks, current.IoTicks);
        var timeInQueue = CounterDelta.UnsignedInt(before.TimeInQueue, current.TimeInQueue);
        var discardIos = CounterDelta.UnsignedLong(before.DiscardIos, current.DiscardIos);
        var discardMerges = CounterDelta.UnsignedLong(before.DiscardMerges, current.DiscardMerges);
        var discardSectors = CounterDelta.UnsignedLong(before.DiscardSectors, current.DiscardSectors);
        var discardTicks = CounterDelta.UnsignedInt(before.DiscardTicks, current.DiscardTicks);
        var flushIos = CounterDelta.UnsignedLong(before.FlushIos, current.FlushIos);
        var flushTicks = CounterDelta.UnsignedInt(before.FlushTicks, current.FlushTicks);

        var discard = current.HasDiscard;
        var flush = current.HasFlush;
        return new DiskIoDevice
        {
            DmName = dmName,
            Tps = Round(PerSecond(readIos + writeIos + discardIos, itv)),
            ReadsPerSecond = Round(PerSecond(readIos, itv)),
            ReadKilobytesPerSecond = Round(PerSecond(readSectors, itv) / 2),
            ReadMergesPerSecond = Round(PerSecond(readMerges, itv)),
            ReadMergesPercent = Round(MergedPercent(readMerges, readIos)),
            ReadAwait = Round(Average(readTicks, readIos)),
            ReadRequestSize = Round(Average(readSectors, readIos) / 2),
            WritesPerSecond = Round(PerSecond(writeIos, itv)),
            WriteKilobytesPerSecond = Round(PerSecond(writeSectors, itv) / 2),
            WriteMergesPerSecond = Round(PerSecond(writeMerges, itv)),
            WriteMergesPercent = Round(MergedPercent(writeMerges, writeIos)),
            WriteAwait = Round(Average(writeTicks, writeIos)),
            WriteRequestSize = Round(Average(writeSectors, writeIos) / 2),
            DiscardsPerSecond = discard ? Round(PerSecond(discardIos, itv)) : null,
            DiscardKilobytesPerSecond = discard ? Round(PerSecond(discardSectors, itv) / 2) : null,
            DiscardMergesPerSecond = discard ? Round(PerSecond(discardMerges, itv)) : null,
            DiscardMergesPercent = discard ? Round(MergedPercent(discardMerges, discardIos)) : null,
            DiscardAwait = discard ? Round(Average(discardTicks, discardIos)) : null,
            DiscardRequestSize = discard ? Round(Average(discardSectors, discardIos) / 2) : null,
            FlushesPerSecond = flush ? Round(PerSecond(flushIos, itv)) : null,
            FlushAwait = flush ? Round(Average(flushTicks, flushIos)) : null,
            QueueSize = Round(PerSecond(timeInQueue, itv) / 1000.0),
            Util = Round(Math.Min(PerSecond(ioTicks, itv) / 10.0, 100)),
        };
    }

    /// <summary>iostat's "device removed then inserted again" test (iostat.c <c>write_stats()</c>).</summary>
    private static bool Restarted(in DiskCounters previous, in DiskCounters current) =>
        unchecked(current.ReadIos + current.WriteIos + current.DiscardIos + current.FlushIos)
            < unchecked(previous.ReadIos + previous.WriteIos + previous.DiscardIos + previous.FlushIos)
        && (previous.ReadSectors == 0 || current.ReadSectors < previous.ReadSectors)
        && (previous.WriteSectors == 0 || current.WriteSectors < previous.WriteSectors)
        && (previous.DiscardSectors == 0 || current.DiscardSectors < previous.DiscardSectors);

    /// <summary>sysstat's <c>S_VALUE(m, n, p)</c>: (n−m)/p·100 with p in hundredths of a second.</summary>
    private static double PerSecond(ulong delta, double interval) => delta / interval * 100;

    private static double MergedPercent(ulong merges, ulong ios) => merges + ios == 0 ? 0 : (double)merges / (merges + ios) * 100;

    private static double Average(double total, ulong count) => count == 0 ? 0 : total / count;

    private static double Round(double value) => Math.Round(value, 2);
}
