namespace Psistats.Agent.Reporters.HddSpace;

/// <summary>The <c>[hddspace]</c> keys beyond enabled and interval; psistats.ini documents each with its default.</summary>
public sealed record HddSpaceSettings
{
    /// <summary>
    /// Default of <c>skip_types</c>: filesystems that hold no disk space worth watching.
    /// gnulib's ME_DUMMY types (df leaves them out): autofs proc sysfs devpts debugfs fusectl fuse.portal mqueue rpc_pipefs;
    /// kernel filesystems with f_blocks = 0 (df drops them too; listed so they are never statvfs'd): cgroup cgroup2 tracefs
    /// securityfs pstore bpf configfs binfmt_misc nsfs hugetlbfs selinuxfs ramfs;
    /// not disk space although df shows them: devtmpfs (device nodes), efivarfs (firmware variables);
    /// always full or another filesystem's space again: squashfs, iso9660, erofs (read-only images such as snaps, 100 %
    /// used forever), overlay (container roots: the numbers of the filesystem under /var/lib/docker).
    /// tmpfs stays (as in df): a full /run or /tmp breaks a host.
    /// </summary>
    public static readonly IReadOnlyList<string> DefaultSkipTypes =
    [
        "autofs", "proc", "sysfs", "devpts", "debugfs", "fusectl", "fuse.portal", "mqueue", "rpc_pipefs",
        "cgroup", "cgroup2", "tracefs", "securityfs", "pstore", "bpf", "configfs", "binfmt_misc", "nsfs", "hugetlbfs", "selinuxfs", "ramfs",
        "devtmpfs", "efivarfs",
        "squashfs", "iso9660", "erofs", "overlay",
    ];

    /// <summary><c>skip_types</c>: filesystem types never reported.</summary>
    public IReadOnlySet<string> SkipTypes { get; init; } = DefaultSkipTypes.ToHashSet(StringComparer.Ordinal);

    /// <summary>
    /// <c>include_remote</c> (default no): also report network filesystems. Off by default because statvfs on a mount
    /// whose server is gone (hard NFS, CIFS, sshfs) blocks until the server answers, possibly forever.
    /// </summary>
    public bool IncludeRemote { get; init; }

    /// <summary>
    /// <c>statvfs_timeout</c> (default 5 s): how long one reading waits for the statvfs calls before reporting the mount
    /// points still waiting as errors. A call that hangs keeps its thread; that mount point is not asked again until it returns.
    /// </summary>
    public TimeSpan StatVfsTimeout { get; init; } = TimeSpan.FromSeconds(5);
}
