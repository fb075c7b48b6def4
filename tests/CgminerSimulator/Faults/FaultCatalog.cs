namespace Psistats.CgminerSimulator.Faults;

/// <summary>Where a fault acts: on the simulated miner's readings, or on the API connection and reply bytes.</summary>
internal enum FaultLayer
{
    /// <summary>Changes values the miner reports (statuses, counters, temperatures, boards, pools).</summary>
    Miner,

    /// <summary>Changes the listener, the timing or the bytes of a reply.</summary>
    Api,
}

/// <summary>One fault the control API can switch.</summary>
/// <param name="Name">Its name in the control API, e.g. <c>asic-sick</c>.</param>
/// <param name="Layer">Where it acts.</param>
/// <param name="Description">What it changes, for <c>GET /faults</c> and <c>--help</c>.</param>
internal sealed record FaultInfo(string Name, FaultLayer Layer, string Description);

/// <summary>Every fault, in the order <c>GET /faults</c> lists them.</summary>
internal static class FaultCatalog
{
    /// <summary>Default delay of <c>slow</c> when <c>?seconds=</c> is not given.</summary>
    public static readonly TimeSpan DefaultSlowDelay = TimeSpan.FromSeconds(10);

    /// <summary>All faults.</summary>
    public static IReadOnlyList<FaultInfo> All { get; } =
    [
        new(FaultNames.DieInactive, FaultLayer.Miner, "CTA1: DiesActive 7 of Dies 8; Asic1Core3 goes dead (0 live engines); hash rate -12.5 %"),
        new(FaultNames.AsicSick, FaultLayer.Miner, "ASC 0: Status Sick; no more shares, Last Valid Work 60 s before the fault"),
        new(FaultNames.AsicDead, FaultLayer.Miner, "ASC 1: Status Dead; no more shares, Last Valid Work 600 s before the fault"),
        new(FaultNames.AsicDisabled, FaultLayer.Miner, "ASC 0: Enabled N; no more shares"),
        new(FaultNames.HighRejects, FaultLayer.Miner, "ASC 0: Device Rejected% above 5 at once, then half of its new shares rejected"),
        new(FaultNames.TempClimb, FaultLayer.Miner, "both boards: CoreTemp* and Ambient * climb 1 C every 10 s (at most +60 C)"),
        new(FaultNames.PoolDead, FaultLayer.Miner, "pool 0: Status Dead, Stratum Active false; new shares go to pool 1"),
        new(FaultNames.Refuse, FaultLayer.Api, "API port closed: connections are refused"),
        new(FaultNames.Slow, FaultLayer.Api, "every reply waits N seconds (?seconds=N, default 10)"),
        new(FaultNames.Hang, FaultLayer.Api, "the request is read and never answered; the socket stays open until the client closes it"),
        new(FaultNames.Truncated, FaultLayer.Api, "the reply is cut in the middle (no NUL), then the connection is closed"),
        new(FaultNames.InvalidJson, FaultLayer.Api, "the first half of the reply then bytes that are not JSON, NUL-terminated"),
        new(FaultNames.BraceQuirk, FaultLayer.Api, "STATS objects joined by '}{' instead of '},{' (JSON replies)"),
        new(FaultNames.NoNul, FaultLayer.Api, "the reply without its terminating NUL; the connection is closed after it"),
    ];

    /// <summary>The fault named <paramref name="name"/> (exact, case-sensitive), or null.</summary>
    public static FaultInfo? Find(string name) => All.FirstOrDefault(f => f.Name == name);

    /// <summary>"die-inactive, asic-sick, ...", for error messages.</summary>
    public static string NameList => string.Join(", ", All.Select(f => f.Name));
}
