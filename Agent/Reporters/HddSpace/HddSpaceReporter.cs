using System.Globalization;
using System.Runtime.ExceptionServices;
using Psistats.Agent.Configuration;
using Psistats.Contracts.Frames;

namespace Psistats.Agent.Reporters.HddSpace;

/// <summary>
/// Reporter <c>hddspace</c>: df's numbers for every real mounted filesystem.
/// Reads the mount table of PID 1 (<c>proc_root/1/mountinfo</c>, as node_exporter does: the host's mounts even when
/// the agent runs in its own mount namespace, a container or a sandboxed systemd unit), falling back to
/// <c>proc_root/self/mountinfo</c> when PID 1 is hidden (hidepid); selects mounts with <see cref="MountSelector"/>; calls
/// statvfs on <c>rootfs</c> + mount point (<see cref="StatVfsBatch"/>: on a thread of its own, waiting at most
/// <c>statvfs_timeout</c>; a mount point whose call hangs is not asked again until it returns); computes the values
/// with <see cref="DfUsage"/>. No filesystem left to report is "no data".
/// </summary>
/// <param name="paths">Host roots: the mount table under <c>Proc</c>, the mount points under <c>RootFs</c>.</param>
/// <param name="settings">The <c>[hddspace]</c> keys.</param>
/// <param name="statVfs">statvfs(2) of a path (the seam tests replace); throws <see cref="IOException"/> on failure.</param>
public sealed class HddSpaceReporter(HostPaths paths, HddSpaceSettings settings, Func<string, StatVfs> statVfs) : IReporter
{
    /// <summary>Calls that outlived their reading, by path: not repeated until they return.</summary>
    private readonly Dictionary<string, Task> _hanging = new(StringComparer.Ordinal);

    /// <inheritdoc />
    public string Name => HddSpaceFrame.Name;

    /// <inheritdoc />
    public ReporterReading Read()
    {
        var (table, text) = ReadMountTable();
        var selection = MountSelector.Select(MountInfo.Parse(text), settings.SkipTypes, settings.IncludeRemote);
        var skipped = new Dictionary<string, int>(selection.Skipped, StringComparer.Ordinal);
        var filesystems = new Dictionary<string, FileSystemSpace>(StringComparer.Ordinal);
        var errors = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var returned in _hanging.Where(h => h.Value.IsCompleted).Select(h => h.Key).ToList())
        {
            _hanging.Remove(returned);
        }

        var mounts = new List<MountEntry>();
        foreach (var mount in selection.Selected)
        {
            if (_hanging.ContainsKey(paths.RootFile(mount.MountPoint)))
            {
                errors[mount.MountPoint] = "statvfs has not returned since an earlier reading (server or device not answering)";
                continue;
            }

            mounts.Add(mount);
        }

        var batch = new StatVfsBatch(mounts.Select(m => paths.RootFile(m.MountPoint)).ToList(), statVfs);
        var finished = batch.Run(settings.StatVfsTimeout);
        for (var i = 0; i < mounts.Count; i++)
        {
            var mount = mounts[i];
            if (i >= finished)
            {
                if (i == finished)
                {
                    _hanging[paths.RootFile(mount.MountPoint)] = batch.Worker;
                }

                errors[mount.MountPoint] = i == finished
                    ? $"statvfs did not return within {settings.StatVfsTimeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s"
                    : $"not read this time: statvfs of {mounts[finished].MountPoint} did not return";
                continue;
            }

            var (stat, failure) = batch.Result(i);
            try
            {
                if (failure is not null)
                {
                    ExceptionDispatchInfo.Throw(failure);
                }

                if (stat.Blocks == 0)
                {
                    Count(skipped, SkipReason.ZeroSize);
                    continue;
                }

                filesystems[mount.MountPoint] = DfUsage.Compute(stat, mount.Source, mount.FsType);
            }
            catch (StatVfsException ex) when (ex.Errno is StatVfsException.PermissionDenied or StatVfsException.NoSuchFile)
            {
                Count(skipped, SkipReason.Inaccessible);
            }
            catch (Exception ex) when (ex is IOException or FormatException)
            {
                errors[mount.MountPoint] = ex.Message;
            }
        }

        var frame = new HddSpaceFrame
        {
            HddSpace = filesystems.ToDictionary(f => f.Key, f => f.Value.PercentUsed, StringComparer.Ordinal),
            FileSystems = filesystems,
            Errors = errors,
            Skipped = skipped,
        };
        return filesystems.Count == 0 && errors.Count == 0
            ? ReporterReading.NoData($"no filesystem to report in {table} (left out: {string.Join(", ", skipped.Select(s => $"{s.Key} {s.Value}"))})", frame)
            : ReporterReading.Ok(frame);
    }

    private (string Path, string Text) ReadMountTable()
    {
        var init = paths.ProcFile("1/mountinfo");
        try
        {
            return (init, File.ReadAllText(init));
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException or UnauthorizedAccessException)
        {
            var self = paths.ProcFile("self/mountinfo");
            return (self, File.ReadAllText(self));
        }
    }

    private static void Count(Dictionary<string, int> skipped, string reason) => skipped[reason] = skipped.GetValueOrDefault(reason) + 1;
}
