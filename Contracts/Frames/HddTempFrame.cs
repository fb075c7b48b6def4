using System.Text.Json.Serialization;

namespace Psistats.Contracts.Frames;

/// <summary>
/// Reporter <c>hddtemp</c>: the temperature of every disk that has one, keyed by block device name (<c>sda</c>, <c>nvme0n1</c>).
/// Read from the disk's hwmon chip (drivetemp for SATA, nvme for NVMe; Documentation/hwmon/drivetemp.rst, nvme hwmon),
/// millidegrees C to C; else from <c>smartctl --json</c> (<c>temperature.current</c>, C) when smartmontools is installed.
/// </summary>
public sealed record HddTempFrame : Frame
{
    public const string Name = "hddtemp";

    /// <summary>Block device name -> its temperature, ordered by name; empty when no disk has a temperature. JSON <c>hddtemp</c>.</summary>
    [JsonPropertyName("hddtemp")]
    public IReadOnlyDictionary<string, DiskTemperature> HddTemp { get; init; } = new Dictionary<string, DiskTemperature>();

    /// <inheritdoc />
    protected override string ReporterName => Name;
}

/// <summary>
/// One disk's temperature, where it was read, its identity, and the limits the drive reports (degrees C).
/// Limits and identity fields are left out of the JSON when the drive does not report them.
/// </summary>
public sealed record DiskTemperature
{
    /// <summary>Degrees C: drivetemp <c>temp1_input</c>, nvme <c>temp1_input</c> (Composite), or smartctl <c>temperature.current</c>. JSON <c>temp</c>.</summary>
    [JsonPropertyName("temp")]
    public double Temp { get; init; }

    /// <summary>Where it was read: <c>drivetemp</c>, <c>nvme</c> (hwmon chips) or <c>smartctl</c>. JSON <c>source</c>.</summary>
    [JsonPropertyName("source")]
    public required string Source { get; init; }

    /// <summary><c>sys/class/block/&lt;dev&gt;/device/model</c>, else smartctl's <c>model_name</c>. JSON <c>model</c>.</summary>
    [JsonPropertyName("model")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Model { get; init; }

    /// <summary><c>sys/class/block/&lt;dev&gt;/device/vendor</c> (SCSI vendor, <c>ATA</c> for SATA disks). JSON <c>vendor</c>.</summary>
    [JsonPropertyName("vendor")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Vendor { get; init; }

    /// <summary><c>sys/class/block/&lt;dev&gt;/device/serial</c> (NVMe), else smartctl's <c>serial_number</c>. JSON <c>serial</c>.</summary>
    [JsonPropertyName("serial")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Serial { get; init; }

    /// <summary><c>temp1_min</c>: lowest recommended operating temperature. JSON <c>min</c>.</summary>
    [JsonPropertyName("min")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? Min { get; init; }

    /// <summary><c>temp1_max</c>: highest recommended operating temperature (NVMe: the warning threshold WCTEMP). JSON <c>max</c>.</summary>
    [JsonPropertyName("max")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? Max { get; init; }

    /// <summary><c>temp1_lcrit</c>: lowest temperature limit. JSON <c>lcrit</c>.</summary>
    [JsonPropertyName("lcrit")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? Lcrit { get; init; }

    /// <summary><c>temp1_crit</c>: highest temperature limit (NVMe: the critical threshold CCTEMP). JSON <c>crit</c>.</summary>
    [JsonPropertyName("crit")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? Crit { get; init; }

    /// <summary><c>temp1_lowest</c>: lowest temperature the drive recorded (drivetemp, from the SCT status). JSON <c>lowest</c>.</summary>
    [JsonPropertyName("lowest")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? Lowest { get; init; }

    /// <summary><c>temp1_highest</c>: highest temperature the drive recorded. JSON <c>highest</c>.</summary>
    [JsonPropertyName("highest")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? Highest { get; init; }

    /// <summary>The drive's other temperature sensors (NVMe <c>Sensor 1</c>..<c>Sensor 8</c>, <c>temp2_input</c>...). JSON <c>sensors</c>.</summary>
    [JsonPropertyName("sensors")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<DiskSensor>? Sensors { get; init; }
}

/// <summary>One extra temperature sensor of a drive.</summary>
public sealed record DiskSensor
{
    /// <summary>The hwmon label, e.g. <c>Sensor 1</c>. JSON <c>label</c>.</summary>
    [JsonPropertyName("label")]
    public required string Label { get; init; }

    /// <summary>Degrees C. JSON <c>temp</c>.</summary>
    [JsonPropertyName("temp")]
    public double Temp { get; init; }
}
