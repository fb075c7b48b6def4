using System.Text.RegularExpressions;
using Psistats.Agent.Configuration;

namespace Psistats.Agent.Reporters.HddTemp;

/// <summary>
/// A whole disk under <c>sys/class/block</c> (Documentation/ABI/stable/sysfs-block): an entry without a <c>partition</c>
/// attribute, not <c>hidden</c> (an NVMe multipath controller path such as <c>nvme0c0n1</c>), and not a virtual or optical
/// device (loop, ram, zram, dm-, md, sr), which have no temperature.
/// </summary>
/// <param name="Name">The block device name, e.g. <c>sda</c>, <c>nvme0n1</c>.</param>
/// <param name="Dir">Its folder under <c>sys/class/block</c>.</param>
/// <param name="DeviceCandidates">
/// Physical paths of the devices whose hwmon chip measures this disk: the target of <c>device</c> (the SCSI device for
/// sdX, the NVMe controller for nvmeXnY); for an NVMe multipath head, whose <c>device</c> is the <c>nvme-subsysN</c>
/// folder, the controllers that subsystem links to.
/// </param>
public sealed partial record BlockDisk(string Name, string Dir, IReadOnlyList<string> DeviceCandidates)
{
    private static readonly string[] Skipped = ["loop", "ram", "zram", "dm-", "md", "sr"];

    /// <summary>Every whole disk, ordered by name.</summary>
    public static IReadOnlyList<BlockDisk> Enumerate(HostPaths paths)
    {
        ArgumentNullException.ThrowIfNull(paths);
        var disks = new List<BlockDisk>();
        foreach (var dir in Sysfs.Entries(paths.SysFile("class/block")).Order(StringComparer.Ordinal))
        {
            var name = Path.GetFileName(dir);
            if (Skipped.Any(p => name.StartsWith(p, StringComparison.Ordinal))
                || File.Exists(Path.Combine(dir, "partition"))
                || Sysfs.ReadText(Path.Combine(dir, "hidden")) == "1")
            {
                continue;
            }

            var candidates = new List<string>();
            if (Sysfs.RealPath(Path.Combine(dir, "device")) is { } device)
            {
                candidates.Add(device);
                if (Path.GetFileName(device).StartsWith("nvme-subsys", StringComparison.Ordinal))
                {
                    candidates.AddRange(Sysfs.Entries(device, "nvme*")
                        .Where(c => NvmeController().IsMatch(Path.GetFileName(c)))
                        .Order(StringComparer.Ordinal)
                        .Select(Sysfs.RealPath)
                        .OfType<string>());
                }
            }

            disks.Add(new BlockDisk(name, dir, candidates));
        }

        return disks;
    }

    /// <summary>Whether smartctl can be asked about this disk: SCSI/SATA (<c>sd</c>), old IDE (<c>hd</c>) and NVMe disks speak SMART; others (virtio, MMC) do not.</summary>
    public bool SpeaksSmart => Name.StartsWith("sd", StringComparison.Ordinal) || Name.StartsWith("hd", StringComparison.Ordinal) || Name.StartsWith("nvme", StringComparison.Ordinal);

    /// <summary>An identity attribute of the disk's device (<c>model</c>, <c>vendor</c>, <c>serial</c>), trimmed of its padding; null when absent.</summary>
    public string? DeviceAttribute(string attribute) => Sysfs.ReadText(Path.Combine(Dir, "device", attribute));

    [GeneratedRegex("^nvme[0-9]+$", RegexOptions.CultureInvariant)]
    private static partial Regex NvmeController();
}
