using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Psistats.Agent.Cgminer;
using Psistats.Contracts.Frames;

namespace Psistats.Bench;

/// <summary>
/// The frames of the benchmarks, all from the repository's fixtures (embedded in the assembly at build time, so a
/// benchmark runs from any directory):
/// <list type="bullet">
/// <item>every frame of <c>tests/fixtures/hosts/*/expected-once.jsonl</c>: the agent's <c>--once</c> output on seven captured
/// hosts (reporters cpu, mem, uptime, cpu_temp, sensors, hddtemp, diskio, load, net, os);</item>
/// <item>an <c>hddspace</c> frame per fixture host, which no fixture has (statvfs cannot be captured): the agent's
/// <see cref="HddSpaceFrame"/> with mount points typical of each host and df's Use% rounding (docs/wire-format.md);</item>
/// <item>the <c>cgminer</c> frame the agent makes of the TerraMiner captures <c>tests/fixtures/cgminer/cointerra-4.3.5</c>
/// (<see cref="CgminerProtocol.Parse"/> and <see cref="CgminerReplies"/>, as <see cref="CgminerReporter"/> does; two ASICs
/// Alive, boards CTA0 and CTA1 with every die alive).</item>
/// </list>
/// Each comes in a clean form and, for hddspace and cgminer, a faulty one that matches rules (see <see cref="FullDisk"/>,
/// <see cref="SickMiner"/>).
/// </summary>
internal sealed class FixtureFrames
{
    /// <summary>The fixture hosts, in the order <see cref="Hosts"/> lists them.</summary>
    public static readonly string[] HostNames =
        ["amd-k10temp", "intel-coretemp", "no-sensors", "old-kernel-device-dir", "raspberry-pi", "server-many-disks", "thermal-only"];

    private const long Gi = 1L << 30;

    private FixtureFrames(IReadOnlyDictionary<string, IReadOnlyList<FrameTemplate>> hosts, IReadOnlyDictionary<string, FrameTemplate> fullDisk,
        FrameTemplate miner, FrameTemplate sickMiner)
    {
        Hosts = hosts;
        FullDisk = fullDisk;
        Miner = miner;
        SickMiner = sickMiner;
    }

    /// <summary>Fixture host -> its frames: the ten of expected-once.jsonl, then hddspace. All clean (they match no rule of <see cref="BenchRules"/>).</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<FrameTemplate>> Hosts { get; }

    /// <summary>Fixture host -> its hddspace frame with <c>/</c> 95 % full (and, on server-many-disks, <c>/srv/backup</c> 97 %).</summary>
    public IReadOnlyDictionary<string, FrameTemplate> FullDisk { get; }

    /// <summary>The Cointerra cgminer frame, every ASIC Alive and every board cool (matches no rule).</summary>
    public FrameTemplate Miner { get; }

    /// <summary>The Cointerra frame with ASIC 1 <c>Sick</c> and board CTA0 at an average core temperature of 88.2 C.</summary>
    public FrameTemplate SickMiner { get; }

    /// <summary>Reads the embedded fixtures.</summary>
    /// <exception cref="InvalidOperationException">A fixture is missing from the assembly or the agent cannot read a capture.</exception>
    public static FixtureFrames Load()
    {
        var hosts = new Dictionary<string, IReadOnlyList<FrameTemplate>>(StringComparer.Ordinal);
        var full = new Dictionary<string, FrameTemplate>(StringComparer.Ordinal);
        foreach (var host in HostNames)
        {
            var frames = Resource($"hosts/{host}/expected-once.jsonl").Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(line => new FrameTemplate(JsonNode.Parse(line)!.AsObject()))
                .ToList();
            frames.Add(HddSpace(host, full: false));
            hosts[host] = frames;
            full[host] = HddSpace(host, full: true);
        }

        var miner = Cointerra();
        var sick = JsonNode.Parse(miner.ToJsonString())!.AsObject();
        sick["asc"]![1]!["Status"] = "Sick";
        sick["boards"]![0]!["avg_core_temp"] = 88.2;
        return new FixtureFrames(hosts, full, new FrameTemplate(miner), new FrameTemplate(sick));
    }

    private static string Resource(string name)
    {
        using var stream = typeof(FixtureFrames).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"fixture {name} is not embedded (see bench/Shared/Fleet.props)");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }

    private static byte[] ResourceBytes(string name)
    {
        using var stream = typeof(FixtureFrames).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"fixture {name} is not embedded (see bench/Shared/Fleet.props)");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    /// <summary>The cgminer frame of a poll answered by the captured replies (endpoint 192.0.2.10:4028, every 30 s).</summary>
    private static JsonObject Cointerra()
    {
        static CgminerReply Reply(string command, string? parameter = null)
        {
            var result = CgminerProtocol.Parse(command, parameter, ResourceBytes($"cgminer/{command}{parameter}.reply"), terminated: true);
            return result.Reply ?? throw new InvalidOperationException($"the agent rejects the capture of '{command} {parameter}': {result.Error}");
        }

        var count = CgminerReplies.AscCount(Reply("asccount")) ?? 0;
        var asc = Enumerable.Range(0, count)
            .Select(i => CgminerReplies.Asc(Reply("asc", i.ToString(CultureInfo.InvariantCulture)))
                ?? throw new InvalidOperationException($"the capture of 'asc {i}' has no ASC entry"))
            .ToList();
        var stats = Reply("stats");
        var devs = Reply("devs");
        var (boards, others) = CgminerReplies.Stats(stats);
        var frame = new CgminerFrame
        {
            Hostname = "",
            Timestamp = 0,
            Interval = 30,
            Seq = 41,
            ApiOk = true,
            ApiEndpoint = "192.0.2.10:4028",
            ApiDescription = devs.Status.Description,
            ApiWhen = devs.Status.When,
            AscCount = count,
            Asc = asc,
            Coin = CgminerReplies.Coin(Reply("coin")),
            Pools = CgminerReplies.Pools(Reply("pools")),
            Summary = CgminerReplies.Summary(Reply("summary")),
            Boards = boards,
            Stats = others,
            Devs = CgminerReplies.Devs(devs),
        };
        return JsonNode.Parse(FrameSerializer.ToUtf8(frame))!.AsObject();
    }

    /// <summary>
    /// The hddspace frame of a fixture host: its mount points with typical sizes and fill levels; <paramref name="full"/>
    /// fills <c>/</c> to 95 % (and <c>/srv/backup</c> to 97 % on the server). Use% and IUse% are df's rounded-up
    /// percentages of used/(used+avail); ext4 keeps 5 % reserved (neither used nor avail); vfat and btrfs count no inodes.
    /// </summary>
    private static FrameTemplate HddSpace(string host, bool full)
    {
        (string Mount, string Source, string Type, long Size, double Used)[] mounts = host switch
        {
            "amd-k10temp" => [("/", "/dev/nvme0n1p2", "ext4", 465 * Gi, 0.41), ("/boot/efi", "/dev/nvme0n1p1", "vfat", Gi / 2, 0.02)],
            "intel-coretemp" => [("/", "/dev/nvme0n1p3", "ext4", 200 * Gi, 0.63), ("/home", "/dev/nvme0n1p4", "ext4", 700 * Gi, 0.48),
                ("/boot/efi", "/dev/nvme0n1p1", "vfat", Gi / 2, 0.03)],
            "no-sensors" => [("/", "/dev/vda1", "ext4", 20 * Gi, 0.37)],
            "old-kernel-device-dir" => [("/", "/dev/mapper/centos-root", "xfs", 50 * Gi, 0.58), ("/boot", "/dev/sda1", "xfs", Gi, 0.19)],
            "raspberry-pi" => [("/", "/dev/mmcblk0p2", "ext4", 29 * Gi, 0.28), ("/boot/firmware", "/dev/mmcblk0p1", "vfat", Gi / 2, 0.12)],
            "server-many-disks" => [("/", "/dev/md0", "xfs", 100 * Gi, 0.22), ("/boot", "/dev/md1", "xfs", Gi, 0.31),
                ("/boot/efi", "/dev/sda1", "vfat", 600L << 20, 0.01), ("/var", "/dev/md2", "xfs", 200 * Gi, 0.44),
                ("/srv/data", "/dev/md3", "xfs", 16384 * Gi, 0.71), ("/srv/backup", "/dev/md4", "ext4", 8192 * Gi, 0.83)],
            _ => [("/", "/dev/nvme0n1p3", "btrfs", 475 * Gi, 0.35), ("/boot", "/dev/nvme0n1p2", "ext4", Gi, 0.30),
                ("/boot/efi", "/dev/nvme0n1p1", "vfat", 600L << 20, 0.02)],
        };

        var filesystems = new Dictionary<string, FileSystemSpace>(StringComparer.Ordinal);
        var percents = new Dictionary<string, int?>(StringComparer.Ordinal);
        foreach (var (mount, source, type, size, used) in mounts)
        {
            var fill = full && mount is "/" ? 0.95 : full && mount is "/srv/backup" ? 0.97 : used;
            var space = Space(source, type, size, fill);
            filesystems[mount] = space;
            percents[mount] = space.PercentUsed;
        }

        var frame = new HddSpaceFrame
        {
            Hostname = "",
            Timestamp = 0,
            Interval = 60,
            Seq = 11,
            HddSpace = percents,
            FileSystems = filesystems,
            Skipped = new Dictionary<string, int>(StringComparer.Ordinal) { ["type"] = 24, ["duplicate"] = 1 },
        };
        return new FrameTemplate(JsonNode.Parse(FrameSerializer.ToUtf8(frame))!.AsObject());
    }

    private static FileSystemSpace Space(string source, string type, long size, double fill)
    {
        var used = (long)(size * fill);
        var reserved = type == "ext4" ? size / 20 : 0;
        var avail = Math.Max(0, size - used - reserved);
        var counted = type is not ("vfat" or "btrfs");
        var inodes = counted ? size / 16384 : (long?)null;
        var inodesUsed = counted ? (long)(inodes!.Value * fill / 4) : (long?)null;
        return new FileSystemSpace
        {
            Source = source,
            FsType = type,
            Size = size,
            Used = used,
            Available = avail,
            PercentUsed = CeilingPercent(used, used + avail),
            InodesTotal = inodes,
            InodesUsed = inodesUsed,
            InodesFree = inodes - inodesUsed,
            InodesPercentUsed = counted ? CeilingPercent(inodesUsed!.Value, inodes!.Value) : null,
        };
    }

    /// <summary>df's Use%: ⌈100·part/whole⌉ (coreutils src/df.c), null when whole is 0.</summary>
    private static int? CeilingPercent(long part, long whole) =>
        whole == 0 ? null : (int)((((Int128)part * 100) + whole - 1) / whole);
}
