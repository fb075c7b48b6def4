using System.Text.Json.Serialization;

namespace Psistats.Contracts.Frames;

/// <summary>
/// Reporter <c>cpu_temp</c>: the CPU's temperature from a hwmon chip (coretemp, k10temp, ...) or a thermal zone.
/// Sysfs gives millidegrees C (Documentation/hwmon/sysfs-interface.rst); the frame gives degrees C.
/// </summary>
public sealed record CpuTempFrame : Frame
{
    public const string Name = "cpu_temp";

    /// <inheritdoc />
    protected override string ReporterName => Name;

    /// <summary>Degrees C, or null when the host has no CPU sensor. JSON <c>cpu_temp</c>.</summary>
    [JsonPropertyName("cpu_temp")]
    public double? CpuTemp { get; init; }

    /// <summary>Where the value was read, e.g. <c>hwmon:coretemp/Package id 0</c> or <c>thermal:x86_pkg_temp</c>; null with no sensor. JSON <c>cpu_temp_source</c>.</summary>
    [JsonPropertyName("cpu_temp_source")]
    public string? Source { get; init; }
}
