namespace Psistats.CgminerSimulator.Miner;

/// <summary>Everything the simulated miner reports at one instant; the API turns it into cgminer replies.</summary>
/// <param name="When">The instant, epoch seconds (cgminer's <c>When</c>).</param>
/// <param name="Elapsed">Seconds since cgminer started (<c>Elapsed</c>).</param>
/// <param name="Boards">One per board (CTA0, CTA1).</param>
/// <param name="Pools">The pools, in configuration order.</param>
/// <param name="Summary">Totals over the boards and pools.</param>
/// <param name="Coin">The current block.</param>
internal sealed record MinerReading(long When, double Elapsed, IReadOnlyList<BoardReading> Boards, IReadOnlyList<PoolReading> Pools,
    SummaryReading Summary, CoinReading Coin);

/// <summary>One board: its cgminer device counters (<c>asc N</c>, <c>devs</c>) and its driver stats (<c>stats</c> CTA&lt;N&gt;).</summary>
internal sealed record BoardReading(DeviceReading Device, BoardStats Stats);

/// <summary>cgminer's counters of one device, as api.c's ascstatus reports them.</summary>
internal sealed record DeviceReading
{
    /// <summary>ASC number and cgminer device id.</summary>
    public required int Index { get; init; }

    /// <summary><c>Enabled</c> Y.</summary>
    public required bool Enabled { get; init; }

    /// <summary><c>Status</c>: Alive, Sick, Dead.</summary>
    public required string Status { get; init; }

    /// <summary><c>Temperature</c>, C (the hottest core).</summary>
    public required double Temperature { get; init; }

    /// <summary><c>MHS av</c>, <c>MHS 5s</c>, <c>MHS 1m</c>, <c>MHS 5m</c>, <c>MHS 15m</c>: MH/s.</summary>
    public required double MhsAv { get; init; }

    /// <inheritdoc cref="MhsAv"/>
    public required double Mhs5s { get; init; }

    /// <inheritdoc cref="MhsAv"/>
    public required double Mhs1m { get; init; }

    /// <inheritdoc cref="MhsAv"/>
    public required double Mhs5m { get; init; }

    /// <inheritdoc cref="MhsAv"/>
    public required double Mhs15m { get; init; }

    /// <summary>Shares counts.</summary>
    public required ShareCounts Shares { get; init; }

    /// <summary><c>Hardware Errors</c>.</summary>
    public required long HardwareErrors { get; init; }

    /// <summary><c>Last Share Pool</c>: pool number, -1 before the first share.</summary>
    public required int LastSharePool { get; init; }

    /// <summary><c>Last Share Time</c>, epoch seconds, 0 before the first share.</summary>
    public required long LastShareTime { get; init; }

    /// <summary><c>Total MH</c>.</summary>
    public required double TotalMh { get; init; }

    /// <summary><c>Diff1 Work</c>: hashes / 2^32.</summary>
    public required long Diff1Work { get; init; }

    /// <summary><c>Last Valid Work</c>, epoch seconds: last nonce the device returned.</summary>
    public required long LastValidWork { get; init; }

    /// <summary><c>Device Elapsed</c>, seconds.</summary>
    public required double Elapsed { get; init; }
}

/// <summary>Shares of a device or pool; difficulties are counts times the share difficulty.</summary>
/// <param name="Accepted">Accepted shares.</param>
/// <param name="Rejected">Rejected shares.</param>
/// <param name="Stale">Stale shares.</param>
/// <param name="Difficulty">Share difficulty (<c>Last Share Difficulty</c>).</param>
internal sealed record ShareCounts(long Accepted, long Rejected, long Stale, double Difficulty)
{
    /// <summary>No share yet.</summary>
    public static ShareCounts None(double difficulty) => new(0, 0, 0, difficulty);

    /// <summary><c>Difficulty Accepted</c>.</summary>
    public double DifficultyAccepted => Accepted * Difficulty;

    /// <summary><c>Difficulty Rejected</c>.</summary>
    public double DifficultyRejected => Rejected * Difficulty;

    /// <summary><c>Difficulty Stale</c>.</summary>
    public double DifficultyStale => Stale * Difficulty;

    /// <summary>Counts added.</summary>
    public ShareCounts Plus(ShareCounts other) => new(Accepted + other.Accepted, Rejected + other.Rejected, Stale + other.Stale, Difficulty);

    /// <summary>Counts subtracted.</summary>
    public ShareCounts Minus(ShareCounts other) => new(Accepted - other.Accepted, Rejected - other.Rejected, Stale - other.Stale, Difficulty);
}

/// <summary>The driver's stats of one Cointerra board (driver-cointerra.c cta_api_stats), in its units.</summary>
internal sealed record BoardStats
{
    /// <summary>Board number.</summary>
    public required int BoardNumber { get; init; }

    /// <summary><c>Serial</c>.</summary>
    public required uint Serial { get; init; }

    /// <summary><c>CoreTemp0..7</c>, hundredths of a degree C.</summary>
    public required short[] CoreTemp { get; init; }

    /// <summary><c>Ambient Low</c>, <c>Ambient Avg</c>, <c>Ambient High</c>, hundredths of a degree C.</summary>
    public required short AmbientLow { get; init; }

    /// <inheritdoc cref="AmbientLow"/>
    public required short AmbientAvg { get; init; }

    /// <inheritdoc cref="AmbientLow"/>
    public required short AmbientHigh { get; init; }

    /// <summary><c>PumpRPM0..1</c>.</summary>
    public required ushort[] PumpRpm { get; init; }

    /// <summary><c>FanRPM0..3</c> (0 or &gt;= 65000 on headers without a fan).</summary>
    public required ushort[] FanRpm { get; init; }

    /// <summary><c>CoreFreqs0..7</c>, MHz.</summary>
    public required ushort[] CoreFreqs { get; init; }

    /// <summary><c>CoreVolts0..7</c>, mV.</summary>
    public required ushort[] CoreVolts { get; init; }

    /// <summary><c>Volts3.3</c>, <c>Volts12</c>, mV.</summary>
    public required ushort Volts33 { get; init; }

    /// <inheritdoc cref="Volts33"/>
    public required ushort Volts12 { get; init; }

    /// <summary><c>Inactive</c>, <c>Active</c>: engines without and with nonces.</summary>
    public required ushort Inactive { get; init; }

    /// <inheritdoc cref="Inactive"/>
    public required ushort Active { get; init; }

    /// <summary><c>FanSpeed0..3</c>, percent.</summary>
    public required byte[] FanSpeed { get; init; }

    /// <summary><c>DiesActive</c>.</summary>
    public required byte DiesActive { get; init; }

    /// <summary><c>Underruns</c>.</summary>
    public required int Underruns { get; init; }

    /// <summary><c>HWErrors0..7</c>.</summary>
    public required ushort[] HwErrors { get; init; }

    /// <summary><c>Calc hashrate</c>, <c>Hashrate</c>, <c>15m Hashrate</c>, <c>Share hashrate</c>: H/s.</summary>
    public required ulong CalcHashrate { get; init; }

    /// <inheritdoc cref="CalcHashrate"/>
    public required ulong Hashrate { get; init; }

    /// <inheritdoc cref="CalcHashrate"/>
    public required ulong Hashrate15m { get; init; }

    /// <inheritdoc cref="CalcHashrate"/>
    public required ulong ShareHashrate { get; init; }

    /// <summary><c>Total calc hashes</c>, <c>Total hashes</c>, <c>Total raw hashes</c>, <c>Total share hashes</c>, <c>Total flushed hashes</c>.</summary>
    public required ulong TotalCalcHashes { get; init; }

    /// <inheritdoc cref="TotalCalcHashes"/>
    public required ulong TotalHashes { get; init; }

    /// <inheritdoc cref="TotalCalcHashes"/>
    public required ulong TotalRawHashes { get; init; }

    /// <inheritdoc cref="TotalCalcHashes"/>
    public required ulong TotalShareHashes { get; init; }

    /// <inheritdoc cref="TotalCalcHashes"/>
    public required ulong TotalFlushedHashes { get; init; }

    /// <summary><c>Accepted hashes</c> and <c>Rejected hashes</c>: difficulty times 2^32; rates per second of the device's life.</summary>
    public required ulong AcceptedHashes { get; init; }

    /// <inheritdoc cref="AcceptedHashes"/>
    public required ulong AcceptedHashrate { get; init; }

    /// <inheritdoc cref="AcceptedHashes"/>
    public required ulong RejectedHashes { get; init; }

    /// <inheritdoc cref="AcceptedHashes"/>
    public required ulong RejectedHashrate { get; init; }

    /// <summary><c>Core0..7 hashrate</c>, H/s.</summary>
    public required ulong[] CoreHashrate { get; init; }

    /// <summary><c>Uptime</c> of the board's controller, seconds.</summary>
    public required uint Uptime { get; init; }

    /// <summary>Per core, the 16-byte engine bitmap behind <c>Asic&lt;a&gt;Core&lt;c&gt;</c>.</summary>
    public required byte[][] PipeBitmaps { get; init; }

    /// <summary><c>Power Supply Percent</c>.</summary>
    public required byte PowerSupplyPercent { get; init; }

    /// <summary><c>IOUT</c> (hundredths of A), <c>VOUT</c> (hundredths of V), <c>IIN</c>, <c>VIN</c>, <c>PSTemp1</c>, <c>PSTemp2</c> (hundredths of C).</summary>
    public required ushort Iout { get; init; }

    /// <inheritdoc cref="Iout"/>
    public required ushort Vout { get; init; }

    /// <inheritdoc cref="Iout"/>
    public required ushort Iin { get; init; }

    /// <inheritdoc cref="Iout"/>
    public required ushort Vin { get; init; }

    /// <inheritdoc cref="Iout"/>
    public required ushort PsTemp1 { get; init; }

    /// <inheritdoc cref="Iout"/>
    public required ushort PsTemp2 { get; init; }

    /// <summary>The 8 regulators (<c>IRVIN1</c>.. <c>IRSTATUS8</c>).</summary>
    public required RegulatorReading[] Regulators { get; init; }

    /// <summary><c>CoreFmatch0..7</c>: false matches per core.</summary>
    public required ushort[] CoreFmatch { get; init; }
}

/// <summary>One voltage regulator, every value in hundredths (V, A, C, W, percent) as the board sends them.</summary>
internal sealed record RegulatorReading(ushort Vin, ushort Iin, ushort Vout, ushort Iout, ushort Temp1, ushort Temp2, ushort Pout, ushort Pin,
    ushort Efficiency, ushort Status);

/// <summary>One pool, as api.c's poolstatus and its <c>stats</c> POOL&lt;N&gt; entry report it.</summary>
internal sealed record PoolReading
{
    /// <summary><c>POOL</c>.</summary>
    public required int Index { get; init; }

    /// <summary><c>URL</c>.</summary>
    public required string Url { get; init; }

    /// <summary><c>Status</c>: Alive, Dead.</summary>
    public required string Status { get; init; }

    /// <summary><c>Priority</c>.</summary>
    public required int Priority { get; init; }

    /// <summary><c>Getworks</c>.</summary>
    public required long Getworks { get; init; }

    /// <summary>Shares submitted to this pool.</summary>
    public required ShareCounts Shares { get; init; }

    /// <summary><c>Works</c>.</summary>
    public required long Works { get; init; }

    /// <summary><c>Discarded</c>.</summary>
    public required long Discarded { get; init; }

    /// <summary><c>Get Failures</c>.</summary>
    public required long GetFailures { get; init; }

    /// <summary><c>User</c>.</summary>
    public required string User { get; init; }

    /// <summary><c>Last Share Time</c>, epoch seconds, 0 before the first share.</summary>
    public required long LastShareTime { get; init; }

    /// <summary><c>Stratum Active</c>.</summary>
    public required bool StratumActive { get; init; }

    /// <summary>Host of the stratum connection (<c>Stratum URL</c> when active).</summary>
    public required string StratumHost { get; init; }

    /// <summary><c>Best Share</c>.</summary>
    public required ulong BestShare { get; init; }

    /// <summary>Stratum messages sent and received, and their bytes (<c>Times Sent</c>, <c>Bytes Sent</c>, ...).</summary>
    public required ulong TimesSent { get; init; }

    /// <inheritdoc cref="TimesSent"/>
    public required ulong BytesSent { get; init; }

    /// <inheritdoc cref="TimesSent"/>
    public required ulong TimesRecv { get; init; }

    /// <inheritdoc cref="TimesSent"/>
    public required ulong BytesRecv { get; init; }
}

/// <summary>Totals, as api.c's summary reports them.</summary>
internal sealed record SummaryReading
{
    /// <summary><c>MHS av</c> .. <c>MHS 15m</c>, MH/s.</summary>
    public required double MhsAv { get; init; }

    /// <inheritdoc cref="MhsAv"/>
    public required double Mhs5s { get; init; }

    /// <inheritdoc cref="MhsAv"/>
    public required double Mhs1m { get; init; }

    /// <inheritdoc cref="MhsAv"/>
    public required double Mhs5m { get; init; }

    /// <inheritdoc cref="MhsAv"/>
    public required double Mhs15m { get; init; }

    /// <summary><c>Getworks</c>.</summary>
    public required long Getworks { get; init; }

    /// <summary>All shares.</summary>
    public required ShareCounts Shares { get; init; }

    /// <summary><c>Hardware Errors</c>.</summary>
    public required long HardwareErrors { get; init; }

    /// <summary><c>Discarded</c>.</summary>
    public required long Discarded { get; init; }

    /// <summary><c>Get Failures</c>.</summary>
    public required long GetFailures { get; init; }

    /// <summary><c>Local Work</c>.</summary>
    public required long LocalWork { get; init; }

    /// <summary><c>Network Blocks</c>.</summary>
    public required long NetworkBlocks { get; init; }

    /// <summary><c>Total MH</c>.</summary>
    public required double TotalMh { get; init; }

    /// <summary>Sum of the devices' <c>Diff1 Work</c>.</summary>
    public required long Diff1Work { get; init; }

    /// <summary><c>Best Share</c>.</summary>
    public required ulong BestShare { get; init; }
}

/// <summary>The block being mined (<c>coin</c>).</summary>
/// <param name="BlockTimeSeconds">When it was seen, epoch seconds.</param>
/// <param name="BlockTimeMicroseconds">And microseconds.</param>
/// <param name="BlockHash">64 hex characters.</param>
/// <param name="NetworkDifficulty">Network difficulty.</param>
internal sealed record CoinReading(long BlockTimeSeconds, int BlockTimeMicroseconds, string BlockHash, double NetworkDifficulty);
