using System.Text;
using Microsoft.Extensions.Configuration;
using Psistats.Agent.Configuration;
using Psistats.Agent.Reporters;
using Psistats.Agent.Reporters.HddSpace;
using Psistats.Contracts.Configuration;
using Psistats.Contracts.Frames;
using Psistats.TestSupport;

namespace Psistats.UnitTests.Reporters;

public sealed class HddSpaceTests
{
    private static readonly HddSpaceSettings Defaults = new();

    private static IReadOnlyList<MountEntry> FixtureMounts(string host) =>
        MountInfo.Parse(File.ReadAllText(RepoPaths.Fixture("hosts", host, "proc", "self", "mountinfo")));

    private static MountEntry Mount(int id, string device, string root, string point, string type, string source, int parent = 1) =>
        new(id, parent, device, root, point, type, source);

    /// <summary>An ext4-like filesystem: 4 KiB fragments, 1000 blocks, 5 % reserved.</summary>
    private static StatVfs Ext4(ulong usedBlocks) => new(4096, 4096, 1000, 1000 - usedBlocks, 950 - usedBlocks, 256, 200);

    [Fact]
    public void Mountinfo_lines_give_every_field_with_or_without_optional_fields()
    {
        var mounts = MountInfo.Parse("""
            36 35 98:0 /mnt1 /mnt2 rw,noatime master:1 shared:7 - ext3 /dev/root rw,errors=continue
            62 1 0:36 /root / rw,relatime - btrfs /dev/nvme0n1p3 rw,subvol=/root

            """);

        Assert.Equal(new MountEntry(36, 35, "98:0", "/mnt1", "/mnt2", "ext3", "/dev/root"), mounts[0]);
        Assert.Equal(new MountEntry(62, 1, "0:36", "/root", "/", "btrfs", "/dev/nvme0n1p3"), mounts[1]);
    }

    [Fact]
    public void Octal_escapes_in_paths_are_decoded()
    {
        var mount = MountInfo.Parse(@"702 25 8:17 /a\134b /media/alice/My\040Passport\011x rw - fuse.sshfs alice@host:/with\040space rw").Single();

        Assert.Equal(@"/a\b", mount.Root);
        Assert.Equal("/media/alice/My Passport\tx", mount.MountPoint);
        Assert.Equal("alice@host:/with space", mount.Source);
        Assert.Equal("fuse.sshfs", mount.FsType);
    }

    [Theory]
    [InlineData(@"new\012line", "new\nline")]
    [InlineData(@"no\escape", @"no\escape")]
    [InlineData(@"short\04", @"short\04")]
    [InlineData(@"not\400octal", @"not\400octal")]
    public void Unescape_touches_only_three_digit_octal_escapes(string field, string expected) =>
        Assert.Equal(expected, MountInfo.Unescape(field));

    [Fact]
    public void An_empty_mount_source_stays_a_field() =>
        Assert.Equal("", MountInfo.Parse("50 1 0:60 / /mnt/x rw - tmpfs  rw,size=10k").Single().Source);

    [Theory]
    [InlineData("36 35 98:0 /mnt1 /mnt2 rw,noatime ext3 /dev/root rw")]
    [InlineData("x 35 98:0 /mnt1 /mnt2 rw - ext3 /dev/root rw")]
    [InlineData("36 35 /mnt1 /mnt2 rw - ext3 /dev/root rw")]
    public void A_line_without_the_mountinfo_shape_is_a_format_error(string line) =>
        Assert.Throws<FormatException>(() => MountInfo.Parse(line));

    public static TheoryData<string, string[], string> FixtureSelections() => new()
    {
        { "intel-coretemp", ["/", "/run", "/dev/shm", "/run/lock", "/boot/efi", "/srv/data", "/run/user/1000"], "duplicate 3, remote 1, type 19" },
        { "amd-k10temp", ["/", "/run", "/dev/shm", "/run/lock", "/boot/efi", "/run/user/1000", "/run/user/1000/gvfs", "/media/alice/My Passport"], "duplicate 1, type 22" },
        { "raspberry-pi", ["/", "/dev/shm", "/run", "/run/lock", "/boot/firmware", "/run/user/1000"], "type 15" },
        { "old-kernel-device-dir", ["/dev/shm", "/run", "/sys/fs/cgroup", "/", "/boot", "/home", "/run/user/1000"], "type 19" },
        { "no-sensors", ["/", "/run", "/dev/shm", "/boot", "/tmp"], "type 10" },
        { "thermal-only", ["/", "/dev/shm", "/run", "/tmp", "/boot", "/boot/efi"], "duplicate 2, remote 2, type 17" },
        { "server-many-disks", ["/", "/dev/shm", "/run", "/var/lib/pgsql", "/srv/archive", "/proc/fs/nfsd", "/run/user/0"], "duplicate 1, type 17" },
    };

    [Theory]
    [MemberData(nameof(FixtureSelections))]
    public void Fixture_hosts_report_their_real_filesystems_once(string host, string[] expected, string skipped)
    {
        var selection = MountSelector.Select(FixtureMounts(host), Defaults.SkipTypes, includeRemote: false);

        Assert.Equal(expected, selection.Selected.Select(m => m.MountPoint));
        Assert.Equal(skipped, string.Join(", ", selection.Skipped.OrderBy(s => s.Key, StringComparer.Ordinal).Select(s => $"{s.Key} {s.Value}")));
    }

    [Fact]
    public void A_bind_mount_of_a_subdirectory_never_replaces_the_filesystem_mount_even_at_a_shorter_path()
    {
        var selected = MountSelector.Select(FixtureMounts("intel-coretemp"), Defaults.SkipTypes, false).Selected;

        Assert.Contains(selected, m => m.MountPoint == "/srv/data" && m.Root == "/");
        Assert.DoesNotContain(selected, m => m.MountPoint is "/var/www" or "/home/backup/data");
    }

    [Fact]
    public void Of_two_mounts_of_the_filesystem_root_the_shorter_mount_point_wins_in_the_first_ones_place()
    {
        var selected = MountSelector.Select(
            [Mount(1, "8:1", "/", "/mnt/long-name", "ext4", "/dev/sdb1"), Mount(2, "8:2", "/", "/data", "xfs", "/dev/sdc1"), Mount(3, "8:1", "/", "/m", "ext4", "/dev/sdb1")],
            Defaults.SkipTypes, false).Selected;

        Assert.Equal(["/m", "/data"], selected.Select(m => m.MountPoint));
    }

    [Fact]
    public void A_source_naming_a_device_wins_over_a_pseudo_source_of_the_same_device()
    {
        var selected = MountSelector.Select(
            [Mount(1, "0:40", "/", "/a", "tmpfs", "tmpfs"), Mount(2, "0:40", "/", "/a/longer", "tmpfs", "/dev/pseudo")],
            Defaults.SkipTypes, false).Selected;

        Assert.Equal("/a/longer", Assert.Single(selected).MountPoint);
    }

    [Fact]
    public void Btrfs_subvolumes_of_one_filesystem_are_reported_once_at_the_root()
    {
        var selected = MountSelector.Select(FixtureMounts("thermal-only"), Defaults.SkipTypes, false).Selected;

        Assert.Equal("/", Assert.Single(selected, m => m.FsType == "btrfs").MountPoint);
    }

    [Fact]
    public void A_mount_stacked_on_another_at_the_same_point_hides_it()
    {
        var selection = MountSelector.Select(
            [Mount(25, "0:23", "/", "/dev/shm", "tmpfs", "tmpfs"), Mount(30, "0:27", "/", "/dev/shm", "tmpfs", "shm", parent: 25)],
            Defaults.SkipTypes, false);

        Assert.Equal("shm", Assert.Single(selection.Selected).Source);
        Assert.Equal(1, selection.Skipped[SkipReason.Duplicate]);
    }

    [Fact]
    public void Remote_filesystems_are_read_only_when_asked_and_each_remote_source_counts()
    {
        var withRemote = MountSelector.Select(FixtureMounts("thermal-only"), Defaults.SkipTypes, includeRemote: true).Selected;
        var sameDevice = MountSelector.Select(
            [Mount(1, "0:50", "/", "/a", "nfs4", "nas:/export/a"), Mount(2, "0:50", "/", "/b", "nfs4", "nas:/export/b")], Defaults.SkipTypes, true).Selected;

        Assert.Contains(withRemote, m => m.MountPoint == "/mnt/share");
        Assert.Contains(withRemote, m => m.MountPoint == "/home/alice/build server");
        Assert.Equal(2, sameDevice.Count);
    }

    [Theory]
    [InlineData("nfs", "nas.example.com:/export", true)]
    [InlineData("cifs", "//fileserver/share", true)]
    [InlineData("autofs", "-hosts", true)]
    [InlineData("ceph", "admin@7e8c.cephfs=/", true)]
    [InlineData("fuse.sshfs", "alice@host:/home", true)]
    [InlineData("ext4", "/dev/sda1", false)]
    [InlineData("tmpfs", "tmpfs", false)]
    [InlineData("fuse.mergerfs", "disk1:disk2", true)]
    public void Remote_follows_gnulibs_rule_and_the_known_network_types(string type, string source, bool remote) =>
        Assert.Equal(remote, MountSelector.IsRemote(Mount(1, "0:1", "/", "/x", type, source)));

    [Fact]
    public void Sizes_follow_df_B1()
    {
        var space = DfUsage.Compute(new StatVfs(4096, 4096, 66053997, 62395888, 48917568, 16777216, 16352298), "/dev/vda", "ext4");

        Assert.Equal(("/dev/vda", "ext4"), (space.Source, space.FsType));
        Assert.Equal(66053997L * 4096, space.Size);
        Assert.Equal((66053997L - 62395888) * 4096, space.Used);
        Assert.Equal(48917568L * 4096, space.Available);
        Assert.Equal(7, space.PercentUsed);
        Assert.Equal((16777216L, 424918L, 16352298L, 3), (space.InodesTotal!.Value, space.InodesUsed!.Value, space.InodesFree!.Value, space.InodesPercentUsed!.Value));
    }

    [Theory]
    [InlineData(0UL, 0)]
    [InlineData(1UL, 1)]
    [InlineData(9UL, 1)]
    [InlineData(95UL, 10)]
    [InlineData(96UL, 11)]
    [InlineData(900UL, 95)]
    [InlineData(949UL, 100)]
    [InlineData(950UL, 100)]
    public void Use_percent_rounds_up_over_used_plus_available_not_over_size(ulong usedBlocks, int percent) =>
        Assert.Equal(percent, DfUsage.Compute(Ext4(usedBlocks), "s", "ext4").PercentUsed);

    [Theory]
    [InlineData(1L, 199L, 1)]
    [InlineData(199L, 1L, 100)]
    [InlineData(100L, 100L, 50)]
    [InlineData(1L, 2L, 34)]
    [InlineData(0L, 0L, null)]
    [InlineData(100L, -10L, 112)]
    [InlineData(10L, -10L, null)]
    [InlineData(10L, -20L, null)]
    [InlineData(-10L, -30L, 25)]
    [InlineData(-10L, 30L, null)]
    public void Percent_is_dfs_integer_ceiling_with_its_fallback_for_negative_values(long used, long available, int? percent) =>
        Assert.Equal(percent, DfUsage.Percent(used, available));

    [Fact]
    public void A_filesystem_without_inode_counts_sends_null_inodes()
    {
        var space = DfUsage.Compute(new StatVfs(4096, 4096, 1000, 500, 500, 0, 0), "/dev/nvme0n1p3", "btrfs");

        Assert.Null(space.InodesTotal);
        Assert.Null(space.InodesUsed);
        Assert.Null(space.InodesFree);
        Assert.Null(space.InodesPercentUsed);
        Assert.Equal(50, space.PercentUsed);
    }

    [Fact]
    public void The_fragment_size_is_the_unit_and_the_block_size_stands_in_when_it_is_zero()
    {
        Assert.Equal(1000L * 1024, DfUsage.Compute(new StatVfs(4096, 1024, 1000, 0, 0, 0, 0), "s", "t").Size);
        Assert.Equal(1000L * 4096, DfUsage.Compute(new StatVfs(4096, 0, 1000, 0, 0, 0, 0), "s", "t").Size);
    }

    [Fact]
    public void Negative_counts_come_out_as_df_prints_them()
    {
        var space = DfUsage.Compute(new StatVfs(1024, 1024, 100, 110, unchecked((ulong)-30L), 10, 12), "s", "t");

        Assert.Equal(-10 * 1024, space.Used);
        Assert.Equal(-30 * 1024, space.Available);
        Assert.Equal(25, space.PercentUsed);
        Assert.Equal(-2, space.InodesUsed);
        Assert.Null(space.InodesPercentUsed);
    }

    [Theory]
    [InlineData(ulong.MaxValue, 0UL)]
    [InlineData(10UL, ulong.MaxValue - 1)]
    [InlineData(ulong.MaxValue / 2, 0UL)]
    public void Unknown_or_overflowing_block_counts_are_format_errors(ulong blocks, ulong free) =>
        Assert.Throws<FormatException>(() => DfUsage.Compute(new StatVfs(4096, 4096, blocks, free, 0, 0, 0), "s", "t"));

    [Fact]
    public void The_frame_carries_dfs_column_names_with_null_for_missing_inode_counts()
    {
        var frame = new HddSpaceFrame
        {
            Hostname = "h", Timestamp = 1, Interval = 60, Seq = 3,
            HddSpace = new Dictionary<string, int?> { ["/"] = 7 },
            FileSystems = new Dictionary<string, FileSystemSpace> { ["/"] = DfUsage.Compute(new StatVfs(4096, 4096, 1000, 940, 890, 0, 0), "/dev/sda1", "btrfs") },
            Errors = new Dictionary<string, string> { ["/mnt/nas"] = "statvfs did not return within 5 s" },
            Skipped = new Dictionary<string, int> { ["type"] = 20 },
        };

        Assert.Equal(
            """{"hostname":"h","reporter":"hddspace","timestamp":1,"interval":60,"seq":3,"hddspace":{"/":7},"filesystems":{"/":{"source":"/dev/sda1","fstype":"btrfs","size":4096000,"used":245760,"avail":3645440,"pcent":7,"itotal":null,"iused":null,"iavail":null,"ipcent":null}},"filesystem_errors":{"/mnt/nas":"statvfs did not return within 5 s"},"filesystems_skipped":{"type":20}}""",
            Encoding.UTF8.GetString(FrameSerializer.ToUtf8(frame)));
    }

    /// <summary>A statvfs that answers per path from a table and records every call.</summary>
    private sealed class FakeStatVfs(IReadOnlyDictionary<string, Func<StatVfs>> answers)
    {
        private readonly List<string> _calls = [];

        public IReadOnlyList<string> Calls
        {
            get
            {
                lock (_calls)
                {
                    return [.. _calls];
                }
            }
        }

        public StatVfs Get(string path)
        {
            lock (_calls)
            {
                _calls.Add(path);
            }

            return answers.TryGetValue(path, out var answer) ? answer() : Ext4(100);
        }
    }

    private static HddSpaceReporter Reporter(string host, FakeStatVfs statVfs, HddSpaceSettings? settings = null) =>
        new(new HostPaths(RepoPaths.Fixture("hosts", host, "proc"), RepoPaths.Fixture("hosts", host, "sys"), "/"), settings ?? Defaults, statVfs.Get);

    [Fact]
    public void A_fixture_host_reads_every_selected_filesystem_and_counts_the_rest()
    {
        var statVfs = new FakeStatVfs(new Dictionary<string, Func<StatVfs>>
        {
            ["/"] = () => new StatVfs(4096, 4096, 61_000_000, 40_000_000, 36_900_000, 15_269_888, 14_900_000),
            ["/boot/efi"] = () => new StatVfs(512, 512, 1_046_528, 1_033_216, 1_033_216, 0, 0),
        });

        var reading = Reporter("intel-coretemp", statVfs).Read();

        Assert.Equal(ReadingStatus.Ok, reading.Status);
        var frame = Assert.IsType<HddSpaceFrame>(reading.Frame);
        Assert.Equal(["/", "/run", "/dev/shm", "/run/lock", "/boot/efi", "/srv/data", "/run/user/1000"], frame.FileSystems.Keys);
        Assert.Equal(frame.FileSystems.Keys, frame.HddSpace.Keys);
        Assert.Equal(7, statVfs.Calls.Count);
        var root = frame.FileSystems["/"];
        Assert.Equal(("/dev/nvme0n1p2", "ext4", 249_856_000_000L, 86_016_000_000L, 151_142_400_000L, 37), (root.Source, root.FsType, root.Size, root.Used, root.Available, root.PercentUsed));
        Assert.Equal(37, frame.HddSpace["/"]);
        var efi = frame.FileSystems["/boot/efi"];
        Assert.Equal(("vfat", 2, (long?)null), (efi.FsType, efi.PercentUsed, efi.InodesTotal));
        Assert.Empty(frame.Errors);
        Assert.Equal(new Dictionary<string, int> { ["type"] = 19, ["duplicate"] = 3, ["remote"] = 1 }, frame.Skipped);
    }

    [Fact]
    public void Zero_size_and_inaccessible_mounts_are_counted_like_df_leaves_them_out_and_other_failures_are_errors()
    {
        var statVfs = new FakeStatVfs(new Dictionary<string, Func<StatVfs>>
        {
            ["/run/user/1000/gvfs"] = () => throw new StatVfsException("/run/user/1000/gvfs", StatVfsException.PermissionDenied, "Permission denied"),
            ["/run/user/1000"] = () => new StatVfs(4096, 4096, 0, 0, 0, 0, 0),
            ["/media/alice/My Passport"] = () => throw new StatVfsException("/media/alice/My Passport", 5, "Input/output error"),
        });

        var frame = Assert.IsType<HddSpaceFrame>(Reporter("amd-k10temp", statVfs).Read().Frame);

        Assert.Equal(["/", "/run", "/dev/shm", "/run/lock", "/boot/efi"], frame.FileSystems.Keys);
        Assert.Equal("statvfs /media/alice/My Passport: Input/output error", frame.Errors["/media/alice/My Passport"]);
        Assert.Equal(1, frame.Skipped[SkipReason.Inaccessible]);
        Assert.Equal(1, frame.Skipped[SkipReason.ZeroSize]);
    }

    [Fact]
    public void A_hanging_statvfs_is_reported_without_blocking_and_not_asked_again_until_it_returns()
    {
        using var release = new ManualResetEventSlim();
        var statVfs = new FakeStatVfs(new Dictionary<string, Func<StatVfs>>
        {
            ["/boot"] = () =>
            {
                release.Wait();
                return Ext4(10);
            },
        });
        var reporter = Reporter("no-sensors", statVfs, Defaults with { StatVfsTimeout = TimeSpan.FromMilliseconds(200) });

        var first = Assert.IsType<HddSpaceFrame>(reporter.Read().Frame);
        var second = Assert.IsType<HddSpaceFrame>(reporter.Read().Frame);
        var callsWhileHanging = statVfs.Calls.Count(c => c == "/boot");
        release.Set();
        var third = second;
        var recovered = SpinWait.SpinUntil(() => (third = (HddSpaceFrame)reporter.Read().Frame!).Errors.Count == 0, TimeSpan.FromSeconds(10));

        Assert.Equal("statvfs did not return within 0.2 s", first.Errors["/boot"]);
        Assert.Equal("not read this time: statvfs of /boot did not return", first.Errors["/tmp"]);
        Assert.Equal(["/", "/run", "/dev/shm"], first.FileSystems.Keys);
        Assert.StartsWith("statvfs has not returned since an earlier reading", second.Errors["/boot"], StringComparison.Ordinal);
        Assert.Equal(["/", "/run", "/dev/shm", "/tmp"], second.FileSystems.Keys);
        Assert.Equal(1, callsWhileHanging);
        Assert.True(recovered, "the mount point was read again after its statvfs returned");
        Assert.Equal(2, third.FileSystems["/boot"].PercentUsed);
        Assert.Equal(2, statVfs.Calls.Count(c => c == "/boot"));
    }

    [Fact]
    public void The_mount_table_of_pid_1_is_preferred_over_the_agents_own()
    {
        using var proc = new TempDir();
        Directory.CreateDirectory(Path.Combine(proc.Path, "1"));
        Directory.CreateDirectory(Path.Combine(proc.Path, "self"));
        File.WriteAllText(Path.Combine(proc.Path, "1", "mountinfo"), "21 1 8:1 / / rw - ext4 /dev/sda1 rw\n22 21 8:2 / /home rw - ext4 /dev/sda2 rw\n");
        File.WriteAllText(Path.Combine(proc.Path, "self", "mountinfo"), "21 1 8:1 / / rw - ext4 /dev/sda1 rw\n30 21 0:40 / /home rw - tmpfs tmpfs rw\n");
        var reporter = new HddSpaceReporter(new HostPaths(proc.Path, proc.Path, "/"), Defaults, new FakeStatVfs(new Dictionary<string, Func<StatVfs>>()).Get);

        var frame = Assert.IsType<HddSpaceFrame>(reporter.Read().Frame);

        Assert.Equal("/dev/sda2", frame.FileSystems["/home"].Source);
    }

    [Fact]
    public void Mount_points_are_read_under_rootfs()
    {
        var statVfs = new FakeStatVfs(new Dictionary<string, Func<StatVfs>>());
        var reporter = new HddSpaceReporter(new HostPaths(RepoPaths.Fixture("hosts", "no-sensors", "proc"), "/sys", "/host"), Defaults, statVfs.Get);

        var frame = Assert.IsType<HddSpaceFrame>(reporter.Read().Frame);

        Assert.Equal(["/", "/run", "/dev/shm", "/boot", "/tmp"], frame.FileSystems.Keys);
        Assert.Equal(["/host", "/host/boot", "/host/dev/shm", "/host/run", "/host/tmp"], statVfs.Calls.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Nothing_left_to_report_is_no_data_with_an_empty_frame()
    {
        using var proc = new TempDir();
        Directory.CreateDirectory(Path.Combine(proc.Path, "self"));
        File.WriteAllText(Path.Combine(proc.Path, "self", "mountinfo"), "22 1 0:21 / /proc rw - proc proc rw\n23 22 0:22 / /sys rw - sysfs sysfs rw\n");

        var reading = new HddSpaceReporter(new HostPaths(proc.Path, proc.Path, "/"), Defaults, new FakeStatVfs(new Dictionary<string, Func<StatVfs>>()).Get).Read();

        Assert.Equal(ReadingStatus.NoData, reading.Status);
        Assert.Contains("left out: type 2", reading.Detail, StringComparison.Ordinal);
        Assert.Empty(Assert.IsType<HddSpaceFrame>(reading.Frame).FileSystems);
    }

    [Fact]
    public void A_missing_mount_table_is_a_failure_not_no_data()
    {
        using var proc = new TempDir();

        Assert.ThrowsAny<IOException>(() => new HddSpaceReporter(new HostPaths(proc.Path, proc.Path), Defaults, _ => Ext4(1)).Read());
    }

    private static (HddSpaceSettings Settings, IReadOnlyList<ConfigError> Errors) ReadSettings(Dictionary<string, string?> values)
    {
        var reader = new SettingsReader(new ConfigurationBuilder().AddInMemoryCollection(values).Build());
        return ((HddSpaceSettings)new HddSpaceDefinition().ReadSettings(reader)!, reader.Errors);
    }

    [Fact]
    public void Settings_read_the_skip_list_remote_switch_and_timeout()
    {
        var (settings, errors) = ReadSettings(new()
        {
            ["hddspace:skip_types"] = "proc, sysfs  fuse.sshfs",
            ["hddspace:include_remote"] = "yes",
            ["hddspace:statvfs_timeout"] = "1.5",
        });

        Assert.Empty(errors);
        Assert.Equal(["fuse.sshfs", "proc", "sysfs"], settings.SkipTypes.Order(StringComparer.Ordinal));
        Assert.True(settings.IncludeRemote);
        Assert.Equal(TimeSpan.FromSeconds(1.5), settings.StatVfsTimeout);
    }

    [Fact]
    public void Bad_settings_are_named_by_key()
    {
        var (settings, errors) = ReadSettings(new() { ["hddspace:skip_types"] = "proc sys/fs", ["hddspace:statvfs_timeout"] = "0" });

        Assert.Equal(["[hddspace] skip_types", "[hddspace] statvfs_timeout"], errors.Select(e => $"[{e.Section}] {e.Key}"));
        Assert.Equal(Defaults.SkipTypes, settings.SkipTypes);
    }

    [Fact]
    public void The_shipped_psistats_ini_shows_the_default_skip_list()
    {
        var configuration = new ConfigurationBuilder().AddIniFile(Path.Combine(RepoPaths.Root, "psistats.ini")).Build();

        var shipped = configuration["hddspace:skip_types"]!.Split(' ', StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal(HddSpaceSettings.DefaultSkipTypes, shipped);
        Assert.Equal("no", configuration["hddspace:include_remote"]);
        Assert.Equal("5", configuration["hddspace:statvfs_timeout"]);
    }
}
