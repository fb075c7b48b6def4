using System.Text.Json.Serialization;

namespace Psistats.Contracts.Frames;

/// <summary>
/// Reporter <c>mem</c>, from /proc/meminfo. mem% = 100*(MemTotal-MemAvailable)/MemTotal.
/// Byte values are the kernel's kB values times 1024.
/// </summary>
public sealed record MemFrame : Frame
{
    public const string Name = "mem";

    /// <inheritdoc />
    protected override string ReporterName => Name;

    /// <summary>Memory in use, percent (0-100). JSON <c>mem</c>.</summary>
    [JsonPropertyName("mem")]
    public double Mem { get; init; }

    /// <summary>MemTotal, bytes. JSON <c>mem_total</c>.</summary>
    [JsonPropertyName("mem_total")]
    public long MemTotal { get; init; }

    /// <summary>MemAvailable, bytes. JSON <c>mem_available</c>.</summary>
    [JsonPropertyName("mem_available")]
    public long MemAvailable { get; init; }

    /// <summary>MemTotal - MemAvailable, bytes. JSON <c>mem_used</c>.</summary>
    [JsonPropertyName("mem_used")]
    public long MemUsed { get; init; }

    /// <summary>SwapTotal, bytes. JSON <c>swap_total</c>.</summary>
    [JsonPropertyName("swap_total")]
    public long SwapTotal { get; init; }

    /// <summary>SwapTotal - SwapFree, bytes. JSON <c>swap_used</c>.</summary>
    [JsonPropertyName("swap_used")]
    public long SwapUsed { get; init; }
}
