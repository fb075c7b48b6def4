using System.Globalization;

namespace Psistats.Agent.Reporters.Cpu;

/// <summary>
/// The jiffy counters of one <c>cpu</c>/<c>cpuN</c> line of /proc/stat (proc(5)):
/// user nice system idle iowait irq softirq steal guest guest_nice. Missing trailing columns
/// (old kernels) read as 0. guest and guest_nice are already included in user and nice.
/// </summary>
public readonly record struct CpuTimes(ulong User, ulong Nice, ulong System, ulong Idle, ulong IoWait, ulong Irq, ulong SoftIrq, ulong Steal)
{
    /// <summary>user+nice+system+irq+softirq+steal, jiffies.</summary>
    public ulong Busy => User + Nice + System + Irq + SoftIrq + Steal;

    /// <summary>idle+iowait, jiffies.</summary>
    public ulong Idle2 => Idle + IoWait;
}

/// <summary>One /proc/stat sample: the aggregate line and each logical CPU's line.</summary>
public sealed record ProcStatSample(CpuTimes Total, IReadOnlyList<CpuTimes> Cores);

/// <summary>Usage between two samples, percent.</summary>
public sealed record CpuUsage(double Total, IReadOnlyList<double> Cores, double IoWait, double Steal);

/// <summary>Parses /proc/stat and turns two samples into percentages.</summary>
public static class ProcStat
{
    /// <summary>Parses the text of /proc/stat.</summary>
    /// <exception cref="FormatException">When there is no aggregate <c>cpu</c> line or a counter is not a number.</exception>
    public static ProcStatSample Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        CpuTimes? total = null;
        var cores = new List<CpuTimes>();
        foreach (var line in text.Split('\n'))
        {
            if (!line.StartsWith("cpu", StringComparison.Ordinal))
            {
                continue;
            }

            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var times = ParseTimes(fields);
            if (fields[0] == "cpu")
            {
                total = times;
            }
            else
            {
                cores.Add(times);
            }
        }

        return total is null
            ? throw new FormatException("/proc/stat has no aggregate 'cpu' line")
            : new ProcStatSample(total.Value, cores);
    }

    private static CpuTimes ParseTimes(string[] fields)
    {
        if (fields.Length < 5)
        {
            throw new FormatException($"/proc/stat line '{string.Join(' ', fields)}' has fewer than 4 counters");
        }

        var values = new ulong[8];
        for (var i = 0; i < values.Length && i + 1 < fields.Length; i++)
        {
            if (!ulong.TryParse(fields[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out values[i]))
            {
                throw new FormatException($"/proc/stat counter '{fields[i + 1]}' of '{fields[0]}' is not a number");
            }
        }

        return new CpuTimes(values[0], values[1], values[2], values[3], values[4], values[5], values[6], values[7]);
    }

    /// <summary>
    /// Percent busy between two samples: 100*Δbusy/(Δbusy+Δidle). A counter that went backwards
    /// (CPU hot-unplug, counter reset) contributes 0, never a negative delta. Cores present in only
    /// one sample are reported from the cores both samples have.
    /// </summary>
    public static CpuUsage Usage(ProcStatSample previous, ProcStatSample current)
    {
        ArgumentNullException.ThrowIfNull(previous);
        ArgumentNullException.ThrowIfNull(current);
        var cores = new double[Math.Min(previous.Cores.Count, current.Cores.Count)];
        for (var i = 0; i < cores.Length; i++)
        {
            cores[i] = Percent(previous.Cores[i], current.Cores[i], out _, out _);
        }

        var total = Percent(previous.Total, current.Total, out var ioWait, out var steal);
        return new CpuUsage(total, cores, ioWait, steal);
    }

    private static double Percent(CpuTimes before, CpuTimes after, out double ioWait, out double steal)
    {
        var busy = Delta(before.User, after.User) + Delta(before.Nice, after.Nice) + Delta(before.System, after.System)
            + Delta(before.Irq, after.Irq) + Delta(before.SoftIrq, after.SoftIrq) + Delta(before.Steal, after.Steal);
        var idle = Delta(before.Idle, after.Idle) + Delta(before.IoWait, after.IoWait);
        var all = (double)(busy + idle);
        if (all <= 0)
        {
            ioWait = 0;
            steal = 0;
            return 0;
        }

        ioWait = Round(100.0 * Delta(before.IoWait, after.IoWait) / all);
        steal = Round(100.0 * Delta(before.Steal, after.Steal) / all);
        return Round(100.0 * busy / all);
    }

    private static ulong Delta(ulong before, ulong after) => after >= before ? after - before : 0;

    private static double Round(double value) => Math.Round(Math.Clamp(value, 0, 100), 2);
}
