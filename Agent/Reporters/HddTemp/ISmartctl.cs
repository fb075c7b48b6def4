namespace Psistats.Agent.Reporters.HddTemp;

/// <summary>
/// Asks smartctl about one disk. The seam between <see cref="HddTempReporter"/> and the smartctl process, so that the
/// fallback is tested on captured smartctl output (tests/fixtures/smartctl/) without running smartctl.
/// </summary>
public interface ISmartctl
{
    /// <summary>Runs smartctl on <paramref name="deviceNode"/> (e.g. <c>/dev/sdc</c>) and parses what it printed. Never throws.</summary>
    SmartctlReading Read(string deviceNode);
}
