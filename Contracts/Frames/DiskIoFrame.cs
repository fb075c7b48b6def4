using System.Text.Json.Serialization;

namespace Psistats.Contracts.Frames;

/// <summary>
/// Reporter <c>diskio</c>: per block device, the columns of <c>iostat -dx</c> (Debian sysstat 12.x), computed as iostat
/// computes them from two samples of /proc/diskstats (Documentation/admin-guide/iostats.rst) and the interval between
/// the two samples' /proc/uptime. Rates are per second; kB are 1024 bytes (sectors are 512 bytes, kB = sectors/2);
/// every value is rounded to 2 decimals as iostat prints it.
/// </summary>
public sealed record DiskIoFrame : Frame
{
    public const string Name = "diskio";

    /// <inheritdoc />
    protected override string ReporterName => Name;

    /// <summary>Kernel device name (<c>sda</c>, <c>nvme0n1</c>, <c>md0</c>, <c>dm-0</c>) -> its values, in /proc/diskstats order. JSON <c>diskio</c>.</summary>
    [JsonPropertyName("diskio")]
    public IReadOnlyDictionary<string, DiskIoDevice> DiskIo { get; init; } = new Dictionary<string, DiskIoDevice>();
}

/// <summary>
/// One block device over one interval, named by iostat's columns. Δ is the difference between two samples of a
/// /proc/diskstats field, t the interval in seconds. The discard columns are present only on kernels that have the
/// discard fields (12-15, Linux 4.18+), the flush columns only with the flush fields (16-17, Linux 5.5+).
/// </summary>
public sealed record DiskIoDevice
{
    /// <summary>
    /// For device-mapper devices, the mapping's name from /sys/class/block/dm-N/dm/name (what <c>iostat -N</c> prints, e.g.
    /// <c>vg0-root</c>), which unlike dm-N survives a reboot; absent for other devices. JSON <c>dm_name</c>.
    /// </summary>
    [JsonPropertyName("dm_name")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? DmName { get; init; }

    /// <summary>Transfers per second, (Δreads+Δwrites+Δdiscards)/t (flushes not counted, as iostat). JSON <c>tps</c>.</summary>
    [JsonPropertyName("tps")]
    public double Tps { get; init; }

    /// <summary>Reads completed per second, Δfield1/t. JSON <c>r/s</c>.</summary>
    [JsonPropertyName("r/s")]
    public double ReadsPerSecond { get; init; }

    /// <summary>kB read per second, Δfield3 (sectors)/2/t. JSON <c>rkB/s</c>.</summary>
    [JsonPropertyName("rkB/s")]
    public double ReadKilobytesPerSecond { get; init; }

    /// <summary>Read requests merged per second, Δfield2/t. JSON <c>rrqm/s</c>.</summary>
    [JsonPropertyName("rrqm/s")]
    public double ReadMergesPerSecond { get; init; }

    /// <summary>Percent of read requests merged, 100·Δfield2/(Δfield2+Δfield1), 0 without requests. JSON <c>%rrqm</c>.</summary>
    [JsonPropertyName("%rrqm")]
    public double ReadMergesPercent { get; init; }

    /// <summary>Average read time in milliseconds (queue and service), Δfield4/Δfield1, 0 without reads. JSON <c>r_await</c>.</summary>
    [JsonPropertyName("r_await")]
    public double ReadAwait { get; init; }

    /// <summary>Average read size in kB, Δfield3/Δfield1/2, 0 without reads. JSON <c>rareq-sz</c>.</summary>
    [JsonPropertyName("rareq-sz")]
    public double ReadRequestSize { get; init; }

    /// <summary>Writes completed per second, Δfield5/t. JSON <c>w/s</c>.</summary>
    [JsonPropertyName("w/s")]
    public double WritesPerSecond { get; init; }

    /// <summary>kB written per second, Δfield7 (sectors)/2/t. JSON <c>wkB/s</c>.</summary>
    [JsonPropertyName("wkB/s")]
    public double WriteKilobytesPerSecond { get; init; }

    /// <summary>Write requests merged per second, Δfield6/t. JSON <c>wrqm/s</c>.</summary>
    [JsonPropertyName("wrqm/s")]
    public double WriteMergesPerSecond { get; init; }

    /// <summary>Percent of write requests merged, 100·Δfield6/(Δfield6+Δfield5), 0 without requests. JSON <c>%wrqm</c>.</summary>
    [JsonPropertyName("%wrqm")]
    public double WriteMergesPercent { get; init; }

    /// <summary>Average write time in milliseconds, Δfield8/Δfield5, 0 without writes. JSON <c>w_await</c>.</summary>
    [JsonPropertyName("w_await")]
    public double WriteAwait { get; init; }

    /// <summary>Average write size in kB, Δfield7/Δfield5/2, 0 without writes. JSON <c>wareq-sz</c>.</summary>
    [JsonPropertyName("wareq-sz")]
    public double WriteRequestSize { get; init; }

    /// <summary>Discards completed per second, Δfield12/t; kernels with discard fields only. JSON <c>d/s</c>.</summary>
    [JsonPropertyName("d/s")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? DiscardsPerSecond { get; init; }

    /// <summary>kB discarded per second, Δfield14 (sectors)/2/t. JSON <c>dkB/s</c>.</summary>
    [JsonPropertyName("dkB/s")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? DiscardKilobytesPerSecond { get; init; }

    /// <summary>Discard requests merged per second, Δfield13/t. JSON <c>drqm/s</c>.</summary>
    [JsonPropertyName("drqm/s")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? DiscardMergesPerSecond { get; init; }

    /// <summary>Percent of discard requests merged, 100·Δfield13/(Δfield13+Δfield12). JSON <c>%drqm</c>.</summary>
    [JsonPropertyName("%drqm")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? DiscardMergesPercent { get; init; }

    /// <summary>Average discard time in milliseconds, Δfield15/Δfield12. JSON <c>d_await</c>.</summary>
    [JsonPropertyName("d_await")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? DiscardAwait { get; init; }

    /// <summary>Average discard size in kB, Δfield14/Δfield12/2. JSON <c>dareq-sz</c>.</summary>
    [JsonPropertyName("dareq-sz")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? DiscardRequestSize { get; init; }

    /// <summary>Flush requests completed per second, Δfield16/t; kernels with flush fields only. JSON <c>f/s</c>.</summary>
    [JsonPropertyName("f/s")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? FlushesPerSecond { get; init; }

    /// <summary>Average flush time in milliseconds, Δfield17/Δfield16. JSON <c>f_await</c>.</summary>
    [JsonPropertyName("f_await")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? FlushAwait { get; init; }

    /// <summary>Average queue length, Δfield11 (weighted milliseconds)/(t in milliseconds). JSON <c>aqu-sz</c>.</summary>
    [JsonPropertyName("aqu-sz")]
    public double QueueSize { get; init; }

    /// <summary>
    /// Percent of the interval the device was busy, 100·Δfield10 (milliseconds)/(t in milliseconds), capped at 100
    /// (iostat 12.6 prints the uncapped value, which exceeds 100 only through the 10 ms resolution of /proc/uptime). JSON <c>%util</c>.
    /// </summary>
    [JsonPropertyName("%util")]
    public double Util { get; init; }
}
