using System.Globalization;
using Psistats.Agent.Configuration;
using Psistats.Contracts.Frames;

namespace Psistats.Agent.Reporters.Uptime;

/// <summary>Reporter <c>uptime</c>: seconds since boot, the first field of /proc/uptime.</summary>
public sealed class UptimeReporter(HostPaths paths) : IReporter
{
    /// <inheritdoc />
    public string Name => UptimeFrame.Name;

    /// <inheritdoc />
    public ReporterReading Read() => ReporterReading.Ok(new UptimeFrame { Uptime = Parse(File.ReadAllText(paths.ProcFile("uptime"))) });

    /// <summary>Parses /proc/uptime: "<c>uptime_seconds idle_seconds</c>".</summary>
    /// <exception cref="FormatException">When the first field is not a non-negative number.</exception>
    public static double Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var first = text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).FirstOrDefault();
        return first is not null && double.TryParse(first, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds >= 0
            ? seconds
            : throw new FormatException($"/proc/uptime '{text.Trim()}' does not start with a number of seconds");
    }
}
