using System.Text.Json.Serialization;

namespace Psistats.Contracts.Frames;

/// <summary>Reporter <c>uptime</c>: the first field of /proc/uptime.</summary>
public sealed record UptimeFrame : Frame
{
    public const string Name = "uptime";

    /// <inheritdoc />
    protected override string ReporterName => Name;

    /// <summary>Seconds since boot. JSON <c>uptime</c>.</summary>
    [JsonPropertyName("uptime")]
    public double Uptime { get; init; }
}
