namespace Psistats.CgminerSimulator.Faults;

/// <summary>The fault names of the control API (<c>PUT /faults/{name}</c>), fixed by the simulator's interface.</summary>
internal static class FaultNames
{
    /// <summary>Board CTA1 loses its last die: <c>DiesActive</c> drops below <c>Dies</c> and that die's cores go dead in their <c>Asic&lt;a&gt;Core&lt;c&gt;</c> bitmaps.</summary>
    public const string DieInactive = "die-inactive";

    /// <summary>ASC 0 reports <c>Status</c> <c>Sick</c>.</summary>
    public const string AsicSick = "asic-sick";

    /// <summary>ASC 1 reports <c>Status</c> <c>Dead</c>.</summary>
    public const string AsicDead = "asic-dead";

    /// <summary>ASC 0 reports <c>Enabled</c> <c>N</c>.</summary>
    public const string AsicDisabled = "asic-disabled";

    /// <summary>ASC 0's <c>Device Rejected%</c> above 5, its <c>Rejected</c> growing.</summary>
    public const string HighRejects = "high-rejects";

    /// <summary>Core and ambient temperatures climb about 1 C every 10 s.</summary>
    public const string TempClimb = "temp-climb";

    /// <summary>Pool 0 <c>Dead</c>, <c>Stratum Active</c> false; shares go to pool 1.</summary>
    public const string PoolDead = "pool-dead";

    /// <summary>The API port is closed: connections are refused.</summary>
    public const string Refuse = "refuse";

    /// <summary>Replies are sent after a delay (seconds, default 10).</summary>
    public const string Slow = "slow";

    /// <summary>The request is read and never answered; the socket stays open until the client goes.</summary>
    public const string Hang = "hang";

    /// <summary>The reply is cut in the middle (no NUL) and the connection closed.</summary>
    public const string Truncated = "truncated";

    /// <summary>The reply is not JSON (half a reply then garbage), still NUL-terminated.</summary>
    public const string InvalidJson = "invalid-json";

    /// <summary>The STATS objects are joined by <c>}{</c> instead of <c>},{</c>, as several cgminer forks do.</summary>
    public const string BraceQuirk = "brace-quirk";

    /// <summary>The reply has no terminating NUL; the connection is closed after it.</summary>
    public const string NoNul = "no-nul";
}
