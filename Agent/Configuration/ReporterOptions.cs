namespace Psistats.Agent.Configuration;

/// <summary>A reporter's section of psistats.ini: <c>enabled</c> (yes/no), <c>interval</c> (seconds) and its own keys.</summary>
/// <param name="Name">Section name, equal to the reporter name (e.g. <c>cpu</c>).</param>
/// <param name="Enabled">Whether the reporter runs.</param>
/// <param name="Interval">Time between two readings.</param>
/// <param name="Settings">The reporter's own settings, as its definition read them (null when it has none).</param>
public sealed record ReporterOptions(string Name, bool Enabled, TimeSpan Interval, object? Settings = null)
{
    /// <summary>Keys every reporter section accepts.</summary>
    public static readonly string[] Keys = ["enabled", "interval"];
}
