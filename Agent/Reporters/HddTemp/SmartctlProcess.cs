using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;

namespace Psistats.Agent.Reporters.HddTemp;

/// <summary>
/// Runs smartmontools' <c>smartctl --json -i -A -n standby DEVICE</c> (smartctl(8)): identity (<c>-i</c>) and attributes or the
/// NVMe health log (<c>-A</c>, which carry <c>temperature.current</c>), without waking a disk that is in standby (<c>-n standby</c>:
/// smartctl then exits with status 2 and no temperature). Each run is bounded: after <paramref name="timeout"/> the process
/// tree is killed and the run counts as failed. Started with an argument list, never through a shell.
/// </summary>
/// <param name="executable">Absolute path of smartctl.</param>
/// <param name="timeout">How long one run may take.</param>
public sealed class SmartctlProcess(string executable, TimeSpan timeout) : ISmartctl
{
    /// <summary>The arguments before the device node.</summary>
    public static readonly IReadOnlyList<string> Arguments = ["--json", "-i", "-A", "-n", "standby"];

    /// <summary>Where smartctl is looked for after PATH: Debian installs it in /usr/sbin, which is not on a service user's PATH.</summary>
    private static readonly string[] SbinDirs = ["/usr/local/sbin", "/usr/sbin", "/sbin"];

    /// <summary>The smartctl this instance runs.</summary>
    public string Executable => executable;

    /// <summary>The first <c>smartctl</c> file on <paramref name="pathVariable"/> (a PATH value), then in the sbin folders; null when none.</summary>
    public static string? Locate(string? pathVariable) =>
        (pathVariable ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Where(Path.IsPathRooted)
            .Concat(SbinDirs)
            .Select(dir => Path.Combine(dir, "smartctl"))
            .FirstOrDefault(File.Exists);

    /// <inheritdoc />
    public SmartctlReading Read(string deviceNode)
    {
        var start = new ProcessStartInfo(executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in Arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.ArgumentList.Add(deviceNode);
        Process? process;
        try
        {
            process = Process.Start(start);
        }
        catch (Win32Exception ex)
        {
            return SmartctlReading.Failed($"cannot run {executable}: {ex.Message}");
        }

        if (process is null)
        {
            return SmartctlReading.Failed($"cannot run {executable}");
        }

        using (process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(timeout))
            {
                try
                {
                    process.Kill(entireProcessTree: true);
                }
                catch (InvalidOperationException)
                {
                    // It exited between the wait and the kill.
                }

                process.WaitForExit();
                return SmartctlReading.Failed(
                    $"{executable} {deviceNode} did not finish within {timeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s and was killed");
            }

            if (!Task.WaitAll([stdout, stderr], timeout))
            {
                return SmartctlReading.Failed($"{executable} {deviceNode} exited but its output did not end (a child kept it open)");
            }

            return stdout.Result.Length > 0
                ? SmartctlReading.Parse(stdout.Result)
                : SmartctlReading.Failed($"{executable} printed nothing (exit status {process.ExitCode}){(stderr.Result.Length > 0 ? ": " + stderr.Result.Trim() : "")}");
        }
    }
}
