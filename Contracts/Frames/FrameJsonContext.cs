using System.Text.Json.Serialization;

namespace Psistats.Contracts.Frames;

/// <summary>Source-generated System.Text.Json metadata for every frame type (trim-safe).</summary>
[JsonSourceGenerationOptions(
    DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    NumberHandling = JsonNumberHandling.Strict)]
[JsonSerializable(typeof(CpuFrame))]
[JsonSerializable(typeof(MemFrame))]
[JsonSerializable(typeof(UptimeFrame))]
[JsonSerializable(typeof(IpAddrFrame))]
[JsonSerializable(typeof(CpuTempFrame))]
[JsonSerializable(typeof(SensorsFrame))]
[JsonSerializable(typeof(HddTempFrame))]
[JsonSerializable(typeof(DiskIoFrame))]
[JsonSerializable(typeof(HddSpaceFrame))]
[JsonSerializable(typeof(LoadFrame))]
[JsonSerializable(typeof(NetFrame))]
[JsonSerializable(typeof(OsFrame))]
[JsonSerializable(typeof(CgminerFrame))]
public sealed partial class FrameJsonContext : JsonSerializerContext;
