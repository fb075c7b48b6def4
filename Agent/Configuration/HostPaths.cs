namespace Psistats.Agent.Configuration;

/// <summary>
/// Where the host's kernel interfaces are mounted: <c>[app] proc_root</c> and <c>[app] sys_root</c>.
/// Tests and containers point these at another tree (a fixture, or /host/proc).
/// </summary>
/// <param name="Proc">Root of procfs, default <c>/proc</c>.</param>
/// <param name="Sys">Root of sysfs, default <c>/sys</c>.</param>
public sealed record HostPaths(string Proc, string Sys)
{
    /// <summary>The real host: /proc and /sys.</summary>
    public static readonly HostPaths Default = new("/proc", "/sys");

    /// <summary>A path under procfs, e.g. <c>ProcFile("stat")</c>.</summary>
    public string ProcFile(string relative) => Path.Combine(Proc, relative);

    /// <summary>A path under sysfs, e.g. <c>SysFile("class/hwmon")</c>.</summary>
    public string SysFile(string relative) => Path.Combine(Sys, relative);
}
