using System.Runtime.InteropServices;
using Psistats.Agent.Configuration;
using Psistats.Contracts.Frames;

namespace Psistats.Agent.Reporters.Os;

/// <summary>
/// Reporter <c>os</c>: distribution, kernel and architecture.
/// <list type="bullet">
/// <item>os-release(5) from the host's root filesystem: <c>rootfs/etc/os-release</c>, else <c>rootfs/usr/lib/os-release</c>;
/// a symlink with an absolute target is followed inside rootfs (it names the host's file, not the agent's). Without
/// either file, os-release(5)'s defaults: NAME and PRETTY_NAME <c>Linux</c>, ID <c>linux</c>.</item>
/// <item>Kernel release and version (<c>uname -r</c>, <c>uname -v</c>): <c>proc_root/sys/kernel/osrelease</c> and <c>version</c>.</item>
/// <item>Architecture (<c>uname -m</c>): <c>proc_root/sys/kernel/arch</c> (Linux 6.1 and later); on older kernels the
/// agent's own <see cref="RuntimeInformation.OSArchitecture"/> under uname's name (x86_64, aarch64, armv7l, ...).</item>
/// </list>
/// </summary>
public sealed class OsReporter(HostPaths paths) : IReporter
{
    /// <inheritdoc />
    public string Name => OsFrame.Name;

    /// <inheritdoc />
    /// <exception cref="IOException">When the kernel files under proc_root cannot be read.</exception>
    public ReporterReading Read()
    {
        var release = (FindOsRelease("/etc/os-release") ?? FindOsRelease("/usr/lib/os-release")) is { } path
            ? OsRelease.Parse(File.ReadAllText(path))
            : new Dictionary<string, string>();
        var arch = paths.ProcFile("sys/kernel/arch");
        return ReporterReading.Ok(new OsFrame
        {
            Os = Value(release, "PRETTY_NAME") ?? "Linux",
            OsName = Value(release, "NAME") ?? "Linux",
            OsId = Value(release, "ID") ?? "linux",
            OsVersionId = Value(release, "VERSION_ID"),
            OsVersionCodename = Value(release, "VERSION_CODENAME"),
            Kernel = File.ReadAllText(paths.ProcFile("sys/kernel/osrelease")).Trim(),
            KernelVersion = File.ReadAllText(paths.ProcFile("sys/kernel/version")).Trim(),
            Arch = File.Exists(arch) ? File.ReadAllText(arch).Trim() : UnameMachine(RuntimeInformation.OSArchitecture),
        });
    }

    /// <summary>uname -m's name for an architecture .NET reports (Linux UTS_MACHINE values).</summary>
    public static string UnameMachine(Architecture architecture) => architecture switch
    {
        Architecture.X64 => "x86_64",
        Architecture.X86 => "i686",
        Architecture.Arm64 => "aarch64",
        Architecture.Arm => "armv7l",
        Architecture.Armv6 => "armv6l",
        _ => architecture.ToString().ToLowerInvariant(),
    };

    /// <summary>The host file under rootfs, following one symlink with an absolute target inside rootfs; null when absent.</summary>
    private string? FindOsRelease(string hostPath)
    {
        var path = paths.RootFile(hostPath);
        if (new FileInfo(path).LinkTarget is { } target && Path.IsPathRooted(target))
        {
            path = paths.RootFile(target);
        }

        return File.Exists(path) ? path : null;
    }

    private static string? Value(IReadOnlyDictionary<string, string> release, string key) =>
        release.TryGetValue(key, out var value) && value.Length > 0 ? value : null;
}
