using System.Text.Json.Serialization;

namespace Psistats.Contracts.Frames;

/// <summary>
/// Reporter <c>hddspace</c>: space and inodes of every real mounted filesystem, keyed by mount point, with the
/// values and rounding of coreutils' <c>df -B1</c> and <c>df -i</c> (statvfs(2); src/df.c). Pseudo, remote and
/// duplicate (bind, over-mounted, same device) mounts are left out and counted in <see cref="Skipped"/>.
/// </summary>
public sealed record HddSpaceFrame : Frame
{
    public const string Name = "hddspace";

    /// <inheritdoc />
    protected override string ReporterName => Name;

    /// <summary>
    /// Mount point -> percent used as df prints it (<see cref="FileSystemSpace.PercentUsed"/>), psistats' shape.
    /// JSON <c>hddspace</c>.
    /// </summary>
    [JsonPropertyName("hddspace")]
    public IReadOnlyDictionary<string, int?> HddSpace { get; init; } = new Dictionary<string, int?>();

    /// <summary>Mount point -> space and inodes of the filesystem mounted there, in mount table order. JSON <c>filesystems</c>.</summary>
    [JsonPropertyName("filesystems")]
    public IReadOnlyDictionary<string, FileSystemSpace> FileSystems { get; init; } = new Dictionary<string, FileSystemSpace>();

    /// <summary>
    /// Mount point -> why it could not be read this time (statvfs failed with an error other than EACCES/ENOENT,
    /// or did not return within <c>[hddspace] statvfs_timeout</c>). JSON <c>filesystem_errors</c>.
    /// </summary>
    [JsonPropertyName("filesystem_errors")]
    public IReadOnlyDictionary<string, string> Errors { get; init; } = new Dictionary<string, string>();

    /// <summary>
    /// Mount table entries left out, counted by reason: <c>type</c> (in <c>skip_types</c>), <c>remote</c>,
    /// <c>duplicate</c> (over-mounted, bind mount or same device), <c>zero_size</c> (f_blocks = 0, as df),
    /// <c>inaccessible</c> (statvfs EACCES or ENOENT, as df). JSON <c>filesystems_skipped</c>.
    /// </summary>
    [JsonPropertyName("filesystems_skipped")]
    public IReadOnlyDictionary<string, int> Skipped { get; init; } = new Dictionary<string, int>();
}

/// <summary>
/// One filesystem as <c>df -B1 --output=source,fstype,size,used,avail,pcent,itotal,iused,iavail,ipcent</c> shows it.
/// Bytes are block counts times f_frsize (f_bsize when f_frsize is 0), as gnulib's fsusage.c.
/// </summary>
public sealed record FileSystemSpace
{
    /// <summary>Mount source from the mount table, e.g. <c>/dev/nvme0n1p2</c> or <c>tmpfs</c>. JSON <c>source</c>.</summary>
    [JsonPropertyName("source")]
    public string Source { get; init; } = "";

    /// <summary>Filesystem type, e.g. <c>ext4</c>. JSON <c>fstype</c>.</summary>
    [JsonPropertyName("fstype")]
    public string FsType { get; init; } = "";

    /// <summary>f_blocks*f_frsize, bytes. JSON <c>size</c>.</summary>
    [JsonPropertyName("size")]
    public long Size { get; init; }

    /// <summary>(f_blocks-f_bfree)*f_frsize, bytes (negative only when a filesystem reports more free than total, as df prints it). JSON <c>used</c>.</summary>
    [JsonPropertyName("used")]
    public long Used { get; init; }

    /// <summary>f_bavail*f_frsize, bytes available to unprivileged users (negative when f_bavail has its top bit set, as df). JSON <c>avail</c>.</summary>
    [JsonPropertyName("avail")]
    public long Available { get; init; }

    /// <summary>df's Use%: ceil(100*used/(used+avail)), integer arithmetic (src/df.c); null where df prints <c>-</c>. JSON <c>pcent</c>.</summary>
    [JsonPropertyName("pcent")]
    public int? PercentUsed { get; init; }

    /// <summary>f_files, inodes; null when the filesystem has no inode count (f_files 0, e.g. btrfs, vfat; df -i prints 0). JSON <c>itotal</c>.</summary>
    [JsonPropertyName("itotal")]
    public long? InodesTotal { get; init; }

    /// <summary>f_files-f_ffree, inodes; null with <see cref="InodesTotal"/>. JSON <c>iused</c>.</summary>
    [JsonPropertyName("iused")]
    public long? InodesUsed { get; init; }

    /// <summary>f_ffree, inodes (df -i's IFree); null with <see cref="InodesTotal"/>. JSON <c>iavail</c>.</summary>
    [JsonPropertyName("iavail")]
    public long? InodesFree { get; init; }

    /// <summary>df -i's IUse%: ceil(100*iused/(iused+ifree)); null where df prints <c>-</c>. JSON <c>ipcent</c>.</summary>
    [JsonPropertyName("ipcent")]
    public int? InodesPercentUsed { get; init; }
}
