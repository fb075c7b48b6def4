namespace Psistats.Agent.Reporters.HddTemp;

/// <summary>What <c>[hddtemp]</c> configures beyond enabled and interval.</summary>
/// <param name="Smartctl"><c>auto</c> (look for smartctl on PATH and in the sbin folders), <c>no</c> (no fallback), or smartctl's absolute path.</param>
/// <param name="SmartctlTimeout">How long one smartctl run may take before it is killed.</param>
/// <param name="Interval">The reporter's interval: smartctl is not run on a disk more often than that.</param>
public sealed record HddTempSettings(string Smartctl, TimeSpan SmartctlTimeout, TimeSpan Interval)
{
    /// <summary>Look for smartctl.</summary>
    public const string Auto = "auto";

    /// <summary>No smartctl fallback.</summary>
    public const string Off = "no";
}
