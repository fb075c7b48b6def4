using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Psistats.LoadGen;

/// <summary>
/// CPU time (user + system, all threads: <see cref="Process.TotalProcessorTime"/>, from /proc/PID/stat on Linux) of named
/// processes, to say where a drain's CPU went: <c>--cpu aggregator=1234,broker=5678</c>; <c>self</c> is this process.
/// </summary>
internal sealed class CpuMeter
{
    private readonly (string Name, Process Process)[] _processes;

    private CpuMeter((string Name, Process Process)[] processes) => _processes = processes;

    /// <summary>The processes of <paramref name="spec"/> (<c>NAME=PID</c> or <c>NAME=self</c>, comma-separated; empty = none).</summary>
    /// <exception cref="UsageException">The spec is malformed or a process does not exist.</exception>
    public static CpuMeter Parse(string spec)
    {
        var list = new List<(string, Process)>();
        foreach (var item in spec.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var parts = item.Split('=', 2);
            if (parts.Length != 2 || parts[0].Length == 0)
            {
                throw new UsageException($"--cpu wants NAME=PID[,NAME=PID...], got '{item}'");
            }

            if (parts[1] == "self")
            {
                list.Add((parts[0], Process.GetCurrentProcess()));
            }
            else if (int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                try
                {
                    list.Add((parts[0], Process.GetProcessById(pid)));
                }
                catch (ArgumentException)
                {
                    throw new UsageException($"--cpu: no process {pid} ({parts[0]})");
                }
            }
            else
            {
                throw new UsageException($"--cpu: '{parts[1]}' is not a process id ({parts[0]})");
            }
        }

        return new CpuMeter([.. list]);
    }

    /// <summary>CPU time of each process now, in the order of the spec.</summary>
    public TimeSpan[] Snapshot()
    {
        var times = new TimeSpan[_processes.Length];
        for (var i = 0; i < times.Length; i++)
        {
            _processes[i].Process.Refresh();
            times[i] = _processes[i].Process.TotalProcessorTime;
        }

        return times;
    }

    /// <summary><c> cpu_NAME_s=S cpu_NAME_us_per_frame=U</c> for each process between two snapshots spanning <paramref name="frames"/> frames.</summary>
    public string Report(TimeSpan[] start, TimeSpan[] end, long frames)
    {
        var text = new StringBuilder();
        for (var i = 0; i < _processes.Length; i++)
        {
            var seconds = (end[i] - start[i]).TotalSeconds;
            text.Append(CultureInfo.InvariantCulture, $" cpu_{_processes[i].Name}_s={seconds:F2} cpu_{_processes[i].Name}_us_per_frame={seconds * 1e6 / Math.Max(1, frames):F1}");
        }

        return text.ToString();
    }
}
