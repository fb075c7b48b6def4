using System.Text.Json.Serialization;

namespace Psistats.Contracts.Frames;

/// <summary>
/// Reporter <c>load</c>: the system load averages and scheduler queue from /proc/loadavg (proc(5)):
/// "<c>load1 load5 load15 runnable/total last_pid</c>". The kernel recomputes the averages every 5 seconds.
/// </summary>
public sealed record LoadFrame : Frame
{
    public const string Name = "load";

    /// <inheritdoc />
    protected override string ReporterName => Name;

    /// <summary>Load average over 1 minute: runnable plus uninterruptible (D state) tasks, exponentially averaged. JSON <c>load1</c>.</summary>
    [JsonPropertyName("load1")]
    public double Load1 { get; init; }

    /// <summary>Load average over 5 minutes. JSON <c>load5</c>.</summary>
    [JsonPropertyName("load5")]
    public double Load5 { get; init; }

    /// <summary>Load average over 15 minutes. JSON <c>load15</c>.</summary>
    [JsonPropertyName("load15")]
    public double Load15 { get; init; }

    /// <summary>
    /// Run queue length: runnable kernel scheduling entities (processes and threads) at the time of reading, not counting
    /// the reading process itself, as <c>sar -q</c> reports it. JSON <c>runq-sz</c>.
    /// </summary>
    [JsonPropertyName("runq-sz")]
    public long RunQueueSize { get; init; }

    /// <summary>Kernel scheduling entities (processes and threads) that exist, as <c>sar -q</c> names it. JSON <c>plist-sz</c>.</summary>
    [JsonPropertyName("plist-sz")]
    public long ProcessListSize { get; init; }
}
