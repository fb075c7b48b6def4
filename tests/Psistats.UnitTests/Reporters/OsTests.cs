using System.Runtime.InteropServices;
using System.Text;
using Psistats.Agent.Configuration;
using Psistats.Agent.Reporters;
using Psistats.Agent.Reporters.Os;
using Psistats.Contracts.Frames;
using Psistats.TestSupport;

namespace Psistats.UnitTests.Reporters;

public sealed class OsTests
{
    private static OsFrame ReadHost(string host)
    {
        var root = RepoPaths.Fixture("hosts", host);
        var reading = new OsReporter(new HostPaths(Path.Combine(root, "proc"), Path.Combine(root, "sys"), Path.Combine(root, "rootfs"))).Read();
        Assert.Equal(ReadingStatus.Ok, reading.Status);
        return Assert.IsType<OsFrame>(reading.Frame);
    }

    [Theory]
    [InlineData("intel-coretemp", "Debian GNU/Linux 12 (bookworm)", "Debian GNU/Linux", "debian", "12", "bookworm", "6.1.0-18-amd64", "x86_64")]
    [InlineData("amd-k10temp", "Ubuntu 24.04 LTS", "Ubuntu", "ubuntu", "24.04", "noble", "6.8.0-31-generic", "x86_64")]
    [InlineData("raspberry-pi", "Debian GNU/Linux 12 (bookworm)", "Debian GNU/Linux", "debian", "12", "bookworm", "6.6.31+rpt-rpi-v8", "aarch64")]
    [InlineData("no-sensors", "Alpine Linux v3.19", "Alpine Linux", "alpine", "3.19.1", null, "6.6.14-0-virt", "x86_64")]
    [InlineData("thermal-only", "Fedora Linux 40 (Workstation Edition)", "Fedora Linux", "fedora", "40", null, "6.8.5-301.fc40.x86_64", "x86_64")]
    public void Fixture_hosts_report_their_distribution_kernel_and_arch(string host, string os, string name, string id, string versionId,
        string? codename, string kernel, string arch)
    {
        var frame = ReadHost(host);

        Assert.Equal((os, name, id, versionId, codename), (frame.Os, frame.OsName, frame.OsId, frame.OsVersionId, frame.OsVersionCodename));
        Assert.Equal((kernel, arch), (frame.Kernel, frame.Arch));
        Assert.StartsWith("#", frame.KernelVersion, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', frame.KernelVersion);
    }

    [Theory]
    [InlineData("old-kernel-device-dir", "CentOS Linux 7 (Core)", "centos", "7", "3.10.0-1160.119.1.el7.x86_64", "#1 SMP Tue Jun 4 14:43:51 UTC 2024")]
    [InlineData("server-many-disks", "Rocky Linux 9.4 (Blue Onyx)", "rocky", "9.4", "5.14.0-427.13.1.el9_4.x86_64", "#1 SMP PREEMPT_DYNAMIC Wed May 1 19:11:28 UTC 2024")]
    public void A_kernel_without_sys_kernel_arch_gives_the_agents_own_architecture_under_unames_name(string host, string os, string id, string versionId,
        string kernel, string kernelVersion)
    {
        var frame = ReadHost(host);

        Assert.Equal((os, id, versionId, (string?)null), (frame.Os, frame.OsId, frame.OsVersionId, frame.OsVersionCodename));
        Assert.Equal((kernel, kernelVersion), (frame.Kernel, frame.KernelVersion));
        Assert.Equal(OsReporter.UnameMachine(RuntimeInformation.OSArchitecture), frame.Arch);
    }

    [Theory]
    [InlineData(Architecture.X64, "x86_64")]
    [InlineData(Architecture.Arm64, "aarch64")]
    [InlineData(Architecture.Arm, "armv7l")]
    [InlineData(Architecture.Armv6, "armv6l")]
    [InlineData(Architecture.X86, "i686")]
    [InlineData(Architecture.S390x, "s390x")]
    [InlineData(Architecture.Ppc64le, "ppc64le")]
    [InlineData(Architecture.RiscV64, "riscv64")]
    public void Dotnet_architectures_map_to_uname_machine_names(Architecture architecture, string machine) =>
        Assert.Equal(machine, OsReporter.UnameMachine(architecture));

    [Fact]
    public void Os_release_values_are_unquoted_as_the_shell_does()
    {
        var values = OsRelease.Parse("""
            # a comment line
            NAME="Some \"Quoted\" Linux"
            ID=plain
            SINGLE='it''s $HOME \n raw'
            ESCAPED="cost \$5, a \`tick\`, a back\\slash, kept \n"
            UNQUOTED=a\ b\"c
            JOINED="first"'second'third
            TRAILING="value" # comment after it

              INDENTED=yes
            EMPTY=
            DOUBLE_EMPTY=""
            not an assignment
            1BAD=x
            ID=last
            """);

        Assert.Equal("Some \"Quoted\" Linux", values["NAME"]);
        Assert.Equal("last", values["ID"]);
        Assert.Equal("its $HOME \\n raw", values["SINGLE"]);
        Assert.Equal("cost $5, a `tick`, a back\\slash, kept \\n", values["ESCAPED"]);
        Assert.Equal("a b\"c", values["UNQUOTED"]);
        Assert.Equal("firstsecondthird", values["JOINED"]);
        Assert.Equal("value", values["TRAILING"]);
        Assert.Equal("yes", values["INDENTED"]);
        Assert.Equal("", values["EMPTY"]);
        Assert.Equal("", values["DOUBLE_EMPTY"]);
        Assert.False(values.ContainsKey("1BAD"));
        Assert.Equal(10, values.Count);
    }

    [Fact]
    public void A_quoted_value_may_span_lines_and_an_unterminated_quote_drops_the_assignment()
    {
        var values = OsRelease.Parse("A=\"two\nlines\"\nB=\"never closed\nC=ok\n");

        Assert.Equal("two\nlines", values["A"]);
        Assert.False(values.ContainsKey("B"));
        Assert.False(values.ContainsKey("C"));
    }

    [Fact]
    public void Without_os_release_the_defaults_of_os_release_5_apply()
    {
        using var root = new TempDir();
        var kernel = Directory.CreateDirectory(Path.Combine(root.Path, "proc", "sys", "kernel")).FullName;
        File.WriteAllText(Path.Combine(kernel, "osrelease"), "6.6.0\n");
        File.WriteAllText(Path.Combine(kernel, "version"), "#1 SMP\n");
        File.WriteAllText(Path.Combine(kernel, "arch"), "riscv64\n");

        var frame = Assert.IsType<OsFrame>(new OsReporter(new HostPaths(Path.Combine(root.Path, "proc"), root.Path, Path.Combine(root.Path, "rootfs"))).Read().Frame);

        Assert.Equal(("Linux", "Linux", "linux"), (frame.Os, frame.OsName, frame.OsId));
        Assert.Null(frame.OsVersionId);
        Assert.Null(frame.OsVersionCodename);
        Assert.Equal(("6.6.0", "#1 SMP", "riscv64"), (frame.Kernel, frame.KernelVersion, frame.Arch));
    }

    [Fact]
    public void An_absolute_os_release_symlink_is_followed_inside_rootfs_not_on_the_agents_own_root()
    {
        using var root = new TempDir();
        var kernel = Directory.CreateDirectory(Path.Combine(root.Path, "proc", "sys", "kernel")).FullName;
        File.WriteAllText(Path.Combine(kernel, "osrelease"), "5.14.0\n");
        File.WriteAllText(Path.Combine(kernel, "version"), "#1 SMP\n");
        var rootfs = Path.Combine(root.Path, "rootfs");
        Directory.CreateDirectory(Path.Combine(rootfs, "etc"));
        Directory.CreateDirectory(Path.Combine(rootfs, "usr", "lib"));
        File.WriteAllText(Path.Combine(rootfs, "usr", "lib", "os-release"), "ID=containerhost\nPRETTY_NAME=\"Host OS\"\n");
        File.CreateSymbolicLink(Path.Combine(rootfs, "etc", "os-release"), "/usr/lib/os-release");

        var frame = Assert.IsType<OsFrame>(new OsReporter(new HostPaths(Path.Combine(root.Path, "proc"), root.Path, rootfs)).Read().Frame);

        Assert.Equal(("Host OS", "containerhost"), (frame.Os, frame.OsId));
    }

    [Fact]
    public void The_frame_carries_os_release_and_uname_names()
    {
        var frame = ReadHost("no-sensors") with { Hostname = "h", Timestamp = 1, Interval = 600, Seq = 1 };

        Assert.Equal(
            """{"hostname":"h","reporter":"os","timestamp":1,"interval":600,"seq":1,"os":"Alpine Linux v3.19","os_name":"Alpine Linux","os_id":"alpine","os_version_id":"3.19.1","os_version_codename":null,"kernel":"6.6.14-0-virt","kernel_version":"#1-Alpine SMP PREEMPT_DYNAMIC Fri, 26 Jan 2024 11:08:07 \u002B0000","arch":"x86_64"}""",
            Encoding.UTF8.GetString(FrameSerializer.ToUtf8(frame)));
    }

    [Fact]
    public void Missing_kernel_files_are_a_failure()
    {
        using var root = new TempDir();

        Assert.ThrowsAny<IOException>(() => new OsReporter(new HostPaths(root.Path, root.Path, root.Path)).Read());
    }
}
