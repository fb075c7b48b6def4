using Psistats.Agent.Configuration;
using Psistats.Contracts.Frames;

namespace Psistats.Agent.Reporters.Mem;

/// <summary>Reporter <c>mem</c>: mem% = 100*(MemTotal-MemAvailable)/MemTotal, totals in bytes, from /proc/meminfo.</summary>
public sealed class MemReporter(HostPaths paths) : IReporter
{
    /// <inheritdoc />
    public string Name => MemFrame.Name;

    /// <inheritdoc />
    public ReporterReading Read()
    {
        var values = MemInfo.Parse(File.ReadAllText(paths.ProcFile("meminfo")));
        if (!values.TryGetValue("MemTotal", out var total) || total <= 0)
        {
            throw new FormatException("/proc/meminfo has no positive MemTotal");
        }

        var available = Math.Clamp(MemInfo.Available(values), 0, total);
        var swapTotal = values.GetValueOrDefault("SwapTotal");
        return ReporterReading.Ok(new MemFrame
        {
            Mem = Math.Round(100.0 * (total - available) / total, 2),
            MemTotal = total,
            MemAvailable = available,
            MemUsed = total - available,
            SwapTotal = swapTotal,
            SwapUsed = Math.Max(0, swapTotal - values.GetValueOrDefault("SwapFree")),
        });
    }
}
