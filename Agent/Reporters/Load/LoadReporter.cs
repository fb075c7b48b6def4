using System.Globalization;
using System.Text;
using Psistats.Agent.Configuration;
using Psistats.Contracts.Frames;

namespace Psistats.Agent.Reporters.Load;

/// <summary>
/// Reporter <c>load</c>: /proc/loadavg (proc(5)), "<c>1.04 1.01 0.80 2/86 6151</c>": the 1, 5 and 15-minute load
/// averages, then runnable/existing kernel scheduling entities and the last PID created (not reported: it says nothing
/// about the host's health). The run queue excludes the reading process, as sysstat's <c>read_loadavg()</c> does for
/// <c>sar -q</c>. Without /proc/loadavg the reading is "no data" (no frame).
/// </summary>
public sealed class LoadReporter(HostPaths paths) : IReporter
{
    private readonly KernelFile _file = new();
    private readonly string _path = paths.ProcFile("loadavg");

    /// <inheritdoc />
    public string Name => LoadFrame.Name;

    /// <inheritdoc />
    public ReporterReading Read() => File.Exists(_path)
        ? ReporterReading.Ok(Parse(_file.ReadAll(_path), _path))
        : ReporterReading.NoData($"{_path} does not exist");

    /// <summary>Parses the text of a /proc/loadavg file.</summary>
    /// <exception cref="FormatException">When the text does not have the three averages and <c>runnable/total</c>.</exception>
    public static LoadFrame Parse(ReadOnlySpan<byte> text, string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var rest = text;
        Span<double> averages = stackalloc double[3];
        for (var i = 0; i < averages.Length; i++)
        {
            if (!KernelText.NextField(ref rest, out var field)
                || !double.TryParse(field, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out averages[i]))
            {
                throw Malformed(text, path);
            }
        }

        if (!KernelText.NextField(ref rest, out var queue))
        {
            throw Malformed(text, path);
        }

        var slash = queue.IndexOf((byte)'/');
        if (slash < 1)
        {
            throw Malformed(text, path);
        }

        var runnable = KernelText.ParseCounter(queue[..slash], path);
        var total = KernelText.ParseCounter(queue[(slash + 1)..], path);
        return new LoadFrame
        {
            Load1 = averages[0],
            Load5 = averages[1],
            Load15 = averages[2],
            RunQueueSize = (long)Math.Max(runnable, 1) - 1,
            ProcessListSize = (long)total,
        };
    }

    private static FormatException Malformed(ReadOnlySpan<byte> text, string path) =>
        new($"{path}: '{Encoding.ASCII.GetString(text).Trim()}' is not 'load1 load5 load15 runnable/total last_pid'");
}
