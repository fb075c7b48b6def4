namespace Psistats.Agent.Reporters.HddSpace;

/// <summary>Why a mount table entry is not reported; the frame counts them under these names.</summary>
public static class SkipReason
{
    /// <summary>Its type is in <c>[hddspace] skip_types</c>.</summary>
    public const string Type = "type";

    /// <summary>A network filesystem and <c>include_remote = no</c>.</summary>
    public const string Remote = "remote";

    /// <summary>Over-mounted at the same point, or another mount of a device already reported (bind mount, btrfs subvolume).</summary>
    public const string Duplicate = "duplicate";

    /// <summary>statvfs gives f_blocks = 0 (df leaves these out without -a).</summary>
    public const string ZeroSize = "zero_size";

    /// <summary>statvfs failed with EACCES or ENOENT (df leaves these out silently without -a).</summary>
    public const string Inaccessible = "inaccessible";
}

/// <summary>The mounts to read, and how many entries were left out for which reason.</summary>
public sealed record MountSelection(IReadOnlyList<MountEntry> Selected, IReadOnlyDictionary<string, int> Skipped);

/// <summary>
/// Chooses the mounts whose space is reported, with coreutils df's rules (src/df.c filter_mount_list, gnulib
/// lib/mountlist.c ME_DUMMY/ME_REMOTE) adapted to the mount table alone (no stat(2) of mount points, which can hang):
/// <list type="number">
/// <item>A mount with another mount stacked on the same point (its child at the same path) is hidden: only the top one is reachable.</item>
/// <item>Types in <c>skip_types</c> are left out; remote filesystems too unless <c>include_remote</c>.</item>
/// <item>Of several mounts of one device (mountinfo major:minor: bind mounts, btrfs subvolumes, the same disk mounted
/// twice) one is kept, as df does: a source with a <c>/</c> wins over one without; otherwise the shorter mount point
/// wins unless it mounts a deeper directory of the filesystem (a bind mount of a subdirectory never replaces the
/// filesystem's own mount); otherwise the first in the table. Remote mounts of different sources are all kept.</item>
/// </list>
/// Unlike df, btrfs subvolumes of one filesystem count as one device (df tells them apart by stat's per-subvolume st_dev).
/// </summary>
public static class MountSelector
{
    /// <summary>Network filesystem types (besides gnulib's ME_REMOTE rule on the source), never statvfs'd unless asked for.</summary>
    public static readonly IReadOnlySet<string> RemoteTypes = new HashSet<string>(StringComparer.Ordinal)
    {
        "nfs", "nfs4", "cifs", "smb3", "smbfs", "ceph", "glusterfs", "lustre", "afs", "acfs", "auristorfs", "coda", "fhgfs",
        "beegfs", "gpfs", "ibrix", "ocfs2", "vxfs", "fuse.sshfs", "fuse.glusterfs", "fuse.s3fs", "fuse.rclone",
    };

    /// <summary>Applies the rules above to the mount table, in its order.</summary>
    public static MountSelection Select(IReadOnlyList<MountEntry> mounts, IReadOnlySet<string> skipTypes, bool includeRemote)
    {
        ArgumentNullException.ThrowIfNull(mounts);
        ArgumentNullException.ThrowIfNull(skipTypes);
        var skipped = new Dictionary<string, int>(StringComparer.Ordinal);
        var kept = new List<MountEntry>();
        var byDevice = new Dictionary<string, int>(StringComparer.Ordinal);
        var byId = new Dictionary<int, MountEntry>();
        foreach (var mount in mounts)
        {
            byId.TryAdd(mount.MountId, mount);
        }

        // The absolute root mount is its own parent; anything else whose parent sits at the same point is stacked on it.
        var stackedOn = mounts
            .Where(m => m.ParentId != m.MountId && byId.TryGetValue(m.ParentId, out var parent) && parent.MountPoint == m.MountPoint)
            .Select(m => m.ParentId).ToHashSet();
        foreach (var mount in mounts)
        {
            var reason = stackedOn.Contains(mount.MountId) ? SkipReason.Duplicate
                : skipTypes.Contains(mount.FsType) ? SkipReason.Type
                : !includeRemote && IsRemote(mount) ? SkipReason.Remote
                : null;
            if (reason is null)
            {
                if (!byDevice.TryGetValue(mount.Device, out var index) || KeepsBoth(kept[index], mount))
                {
                    byDevice[mount.Device] = kept.Count;
                    kept.Add(mount);
                    continue;
                }

                reason = SkipReason.Duplicate;
                if (Replaces(mount, kept[index]))
                {
                    kept[index] = mount;
                }
            }

            skipped[reason] = skipped.GetValueOrDefault(reason) + 1;
        }

        return new MountSelection(kept, skipped);
    }

    /// <summary>
    /// gnulib's ME_REMOTE: a source with <c>:</c> (<c>server:/export</c>), a <c>//server/share</c> source of an SMB type,
    /// the autofs <c>-hosts</c> map; plus <see cref="RemoteTypes"/>.
    /// </summary>
    public static bool IsRemote(MountEntry mount)
    {
        ArgumentNullException.ThrowIfNull(mount);
        return mount.Source.Contains(':', StringComparison.Ordinal)
            || (mount.Source.StartsWith("//", StringComparison.Ordinal) && mount.FsType is "smbfs" or "smb3" or "cifs")
            || mount.Source == "-hosts"
            || RemoteTypes.Contains(mount.FsType);
    }

    /// <summary>df keeps remote mounts of one device with different sources: they were more likely mounted on purpose.</summary>
    private static bool KeepsBoth(MountEntry seen, MountEntry mount) =>
        IsRemote(seen) && IsRemote(mount) && seen.Source != mount.Source;

    private static bool Replaces(MountEntry mount, MountEntry seen)
    {
        if (mount.Source.Contains('/', StringComparison.Ordinal) && !seen.Source.Contains('/', StringComparison.Ordinal))
        {
            return true;
        }

        var nearerRoot = mount.MountPoint.Length < seen.MountPoint.Length;
        var deeperInFilesystem = seen.Root.Length < mount.Root.Length;
        return nearerRoot && !deeperInFilesystem;
    }
}
