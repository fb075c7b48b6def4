namespace Psistats.Agent.Configuration;

/// <summary>A reporter's section of psistats.ini: <c>enabled</c> (yes/no) and <c>interval</c> (seconds).</summary>
/// <param name="Name">Section name, equal to the reporter name (e.g. <c>cpu</c>).</param>
/// <param name="Enabled">Whether the reporter runs.</param>
/// <param name="Interval">Time between two readings.</param>
public sealed record ReporterOptions(string Name, bool Enabled, TimeSpan Interval)
{
    /// <summary>Keys every reporter section accepts.</summary>
    public static readonly string[] Keys = ["enabled", "interval"];
}
