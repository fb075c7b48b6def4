using System.Text.Json.Serialization;

namespace Psistats.Contracts.Frames;

/// <summary>
/// Reporter <c>sensors</c>: every hwmon chip's temperatures, fans, voltages, power, currents and humidity with
/// their labels and limits, and every thermal zone (Documentation/hwmon/sysfs-interface.rst,
/// Documentation/ABI/testing/sysfs-class-thermal). Sysfs units are converted: millidegrees C to C, millivolts to V,
/// microwatts to W, milliamperes to A, milli-percent to percent; fans stay in RPM.
/// A chip is identified by its <c>name</c> and <c>device</c> path, never by its hwmonN number (not stable across boots).
/// </summary>
public sealed record SensorsFrame : Frame
{
    public const string Name = "sensors";

    /// <inheritdoc />
    protected override string ReporterName => Name;

    /// <summary>hwmon chips that have at least one feature, ordered by name then device path. JSON <c>sensors</c>.</summary>
    [JsonPropertyName("sensors")]
    public IReadOnlyList<SensorChip> Sensors { get; init; } = [];

    /// <summary>Thermal zones (<c>sys/class/thermal/thermal_zoneN</c>) in zone-number order; empty when <c>[sensors] devices</c> filters. JSON <c>thermal_zones</c>.</summary>
    [JsonPropertyName("thermal_zones")]
    public IReadOnlyList<ThermalZone> ThermalZones { get; init; } = [];
}

/// <summary>
/// One hwmon chip (<c>sys/class/hwmon/hwmonN</c>). Each feature group is present only when the chip has such features.
/// </summary>
public sealed record SensorChip
{
    /// <summary>The chip's <c>name</c> attribute, e.g. <c>coretemp</c>, <c>nct6775</c>, <c>nvme</c>. JSON <c>name</c>.</summary>
    [JsonPropertyName("name")]
    public required string Name { get; init; }

    /// <summary>
    /// The chip's parent device: the target of <c>hwmonN/device</c> relative to <c>/sys/devices</c>, e.g.
    /// <c>platform/coretemp.0</c> or <c>pci0000:00/0000:00:18.3</c>; null for a virtual chip without a parent. JSON <c>device</c>.
    /// </summary>
    [JsonPropertyName("device")]
    public string? Device { get; init; }

    /// <summary>Temperatures (<c>tempN_*</c>), degrees C. JSON <c>temperatures</c>.</summary>
    [JsonPropertyName("temperatures")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<SensorFeature>? Temperatures { get; init; }

    /// <summary>Fan speeds (<c>fanN_*</c>), RPM. JSON <c>fans</c>.</summary>
    [JsonPropertyName("fans")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<SensorFeature>? Fans { get; init; }

    /// <summary>Voltages (<c>inN_*</c>), volts. JSON <c>voltages</c>.</summary>
    [JsonPropertyName("voltages")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<SensorFeature>? Voltages { get; init; }

    /// <summary>Power (<c>powerN_input</c>, else <c>powerN_average</c>), watts. JSON <c>power</c>.</summary>
    [JsonPropertyName("power")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<SensorFeature>? Power { get; init; }

    /// <summary>Currents (<c>currN_*</c>), amperes. JSON <c>currents</c>.</summary>
    [JsonPropertyName("currents")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<SensorFeature>? Currents { get; init; }

    /// <summary>Relative humidity (<c>humidityN_*</c>), percent. JSON <c>humidity</c>.</summary>
    [JsonPropertyName("humidity")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<SensorFeature>? Humidity { get; init; }
}

/// <summary>
/// One hwmon feature: its value, label and whichever limits and alarm flags the chip provides, in the unit of its group.
/// Names are the sysfs attribute suffixes (Documentation/hwmon/sysfs-interface.rst); absent attributes are left out of the JSON.
/// </summary>
public sealed record SensorFeature
{
    /// <summary>The sysfs feature name, e.g. <c>temp1</c>, <c>fan2</c>, <c>in0</c>. JSON <c>feature</c>.</summary>
    [JsonPropertyName("feature")]
    public required string Feature { get; init; }

    /// <summary><c>&lt;feature&gt;_label</c>, else the feature name; the LABEL of <c>[sensors] devices</c> when that selects it. JSON <c>label</c>.</summary>
    [JsonPropertyName("label")]
    public required string Label { get; init; }

    /// <summary>The reading (<c>_input</c>; for power, <c>_average</c> when there is no <c>_input</c>). JSON <c>value</c>.</summary>
    [JsonPropertyName("value")]
    public double Value { get; init; }

    /// <summary><c>_min</c>. JSON <c>min</c>.</summary>
    [JsonPropertyName("min")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? Min { get; init; }

    /// <summary><c>_max</c>. JSON <c>max</c>.</summary>
    [JsonPropertyName("max")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? Max { get; init; }

    /// <summary><c>_lcrit</c> (critical low). JSON <c>lcrit</c>.</summary>
    [JsonPropertyName("lcrit")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? Lcrit { get; init; }

    /// <summary><c>_crit</c> (critical high). JSON <c>crit</c>.</summary>
    [JsonPropertyName("crit")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? Crit { get; init; }

    /// <summary><c>_emergency</c> (temperatures only). JSON <c>emergency</c>.</summary>
    [JsonPropertyName("emergency")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? Emergency { get; init; }

    /// <summary><c>_cap</c> (power only). JSON <c>cap</c>.</summary>
    [JsonPropertyName("cap")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? Cap { get; init; }

    /// <summary><c>_lowest</c>: lowest value since power-on or reset (history, not a limit). JSON <c>lowest</c>.</summary>
    [JsonPropertyName("lowest")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? Lowest { get; init; }

    /// <summary><c>_highest</c>: highest value since power-on or reset (history, not a limit). JSON <c>highest</c>.</summary>
    [JsonPropertyName("highest")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? Highest { get; init; }

    /// <summary><c>_alarm</c>: the chip signals an alarm for this feature. JSON <c>alarm</c>.</summary>
    [JsonPropertyName("alarm")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public bool? Alarm { get; init; }

    /// <summary><c>_min_alarm</c>. JSON <c>min_alarm</c>.</summary>
    [JsonPropertyName("min_alarm")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public bool? MinAlarm { get; init; }

    /// <summary><c>_max_alarm</c>. JSON <c>max_alarm</c>.</summary>
    [JsonPropertyName("max_alarm")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public bool? MaxAlarm { get; init; }

    /// <summary><c>_lcrit_alarm</c>. JSON <c>lcrit_alarm</c>.</summary>
    [JsonPropertyName("lcrit_alarm")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public bool? LcritAlarm { get; init; }

    /// <summary><c>_crit_alarm</c>. JSON <c>crit_alarm</c>.</summary>
    [JsonPropertyName("crit_alarm")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public bool? CritAlarm { get; init; }

    /// <summary><c>_emergency_alarm</c>. JSON <c>emergency_alarm</c>.</summary>
    [JsonPropertyName("emergency_alarm")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public bool? EmergencyAlarm { get; init; }

    /// <summary><c>_cap_alarm</c>. JSON <c>cap_alarm</c>.</summary>
    [JsonPropertyName("cap_alarm")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public bool? CapAlarm { get; init; }

    /// <summary><c>_fault</c>: the sensor is faulty (open or shorted diode, stuck fan); the value is not meaningful. JSON <c>fault</c>.</summary>
    [JsonPropertyName("fault")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public bool? Fault { get; init; }
}

/// <summary>One thermal zone (Documentation/ABI/testing/sysfs-class-thermal): <c>type</c>, <c>temp</c> and trip points.</summary>
public sealed record ThermalZone
{
    /// <summary>The zone's sysfs name, e.g. <c>thermal_zone0</c>. JSON <c>zone</c>.</summary>
    [JsonPropertyName("zone")]
    public required string Zone { get; init; }

    /// <summary>The zone's <c>type</c>, e.g. <c>acpitz</c>, <c>x86_pkg_temp</c>, <c>cpu-thermal</c>. JSON <c>type</c>.</summary>
    [JsonPropertyName("type")]
    public required string Type { get; init; }

    /// <summary><c>temp</c>, degrees C. JSON <c>temp</c>.</summary>
    [JsonPropertyName("temp")]
    public double Temp { get; init; }

    /// <summary>Trip points (<c>trip_point_N_type</c>, <c>trip_point_N_temp</c>) in N order; left out when the zone has none. JSON <c>trips</c>.</summary>
    [JsonPropertyName("trips")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<ThermalTrip>? Trips { get; init; }
}

/// <summary>One trip point of a thermal zone.</summary>
public sealed record ThermalTrip
{
    /// <summary><c>trip_point_N_type</c>: <c>critical</c>, <c>hot</c>, <c>passive</c> or <c>active</c>. JSON <c>type</c>.</summary>
    [JsonPropertyName("type")]
    public required string Type { get; init; }

    /// <summary><c>trip_point_N_temp</c>, degrees C. JSON <c>temp</c>.</summary>
    [JsonPropertyName("temp")]
    public double Temp { get; init; }
}
