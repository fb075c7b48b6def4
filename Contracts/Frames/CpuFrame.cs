using System.Text.Json.Serialization;

namespace Psistats.Contracts.Frames;

/// <summary>
/// Reporter <c>cpu</c>: busy time between two /proc/stat samples.
/// busy = user+nice+system+irq+softirq+steal, idle = idle+iowait, percent = 100*Δbusy/(Δbusy+Δidle).
/// </summary>
public sealed record CpuFrame : Frame
{
    public const string Name = "cpu";

    /// <inheritdoc />
    protected override string ReporterName => Name;

    /// <summary>All CPUs together, percent busy (0-100). JSON <c>cpu</c>.</summary>
    [JsonPropertyName("cpu")]
    public double Cpu { get; init; }

    /// <summary>One percent-busy value per logical CPU, in /proc/stat order (cpu0, cpu1, ...). JSON <c>cpu_cores</c>.</summary>
    [JsonPropertyName("cpu_cores")]
    public IReadOnlyList<double> CpuCores { get; init; } = [];

    /// <summary>Share of the interval spent waiting for I/O, percent (0-100). JSON <c>iowait</c>.</summary>
    [JsonPropertyName("iowait")]
    public double IoWait { get; init; }

    /// <summary>Share of the interval stolen by the hypervisor, percent (0-100). JSON <c>steal</c>.</summary>
    [JsonPropertyName("steal")]
    public double Steal { get; init; }
}
