using Psistats.Agent.Configuration;
using Psistats.Contracts.Frames;

namespace Psistats.Agent.Reporters.Cpu;

/// <summary>
/// Reporter <c>cpu</c>: percent busy over the last interval, total and per core, from /proc/stat.
/// The first reading only takes a sample (a rate needs two).
/// </summary>
public sealed class CpuReporter(HostPaths paths) : IReporter
{
    private ProcStatSample? _previous;

    /// <inheritdoc />
    public string Name => CpuFrame.Name;

    /// <inheritdoc />
    public ReporterReading Read()
    {
        var sample = ProcStat.Parse(File.ReadAllText(paths.ProcFile("stat")));
        var previous = _previous;
        _previous = sample;
        if (previous is null)
        {
            return ReporterReading.Warming("first /proc/stat sample taken");
        }

        var usage = ProcStat.Usage(previous, sample);
        return ReporterReading.Ok(new CpuFrame { Cpu = usage.Total, CpuCores = usage.Cores, IoWait = usage.IoWait, Steal = usage.Steal });
    }
}
