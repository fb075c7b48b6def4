namespace Psistats.Agent.Configuration;

/// <summary>
/// Where the host's kernel interfaces and root filesystem are: <c>[app] proc_root</c>, <c>sys_root</c> and
/// <c>rootfs</c>. Tests point these at a fixture tree; a containerised agent at its host's mounts (/host/proc, ...).
/// </summary>
/// <param name="Proc">Root of procfs, default <c>/proc</c>.</param>
/// <param name="Sys">Root of sysfs, default <c>/sys</c>.</param>
/// <param name="RootFs">The host's root filesystem, default <c>/</c> (for /etc/os-release and mount points).</param>
public sealed record HostPaths(string Proc, string Sys, string RootFs = "/")
{
    /// <summary>The real host: /proc, /sys and /.</summary>
    public static readonly HostPaths Default = new("/proc", "/sys", "/");

    /// <summary>A path under procfs, e.g. <c>ProcFile("stat")</c>.</summary>
    public string ProcFile(string relative) => Path.Combine(Proc, relative);

    /// <summary>A path under sysfs, e.g. <c>SysFile("class/hwmon")</c>.</summary>
    public string SysFile(string relative) => Path.Combine(Sys, relative);

    /// <summary>A host path (absolute, as the host sees it) under the root filesystem, e.g. <c>RootFile("/etc/os-release")</c>.</summary>
    public string RootFile(string hostPath) => Path.Join(RootFs, hostPath.TrimStart('/'));
}
