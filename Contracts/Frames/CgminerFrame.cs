using System.Text.Json;
using System.Text.Json.Serialization;

namespace Psistats.Contracts.Frames;

/// <summary>
/// Reporter <c>cgminer</c>: one miner polled over cgminer's RPC API (cgminer API-README, api.c) by a proxy agent
/// (<c>[cgminer:NAME]</c> sections). The envelope's <c>hostname</c> is the miner's name, so the aggregator shows each
/// miner as a host. Entries keep cgminer's key names verbatim (<c>MHS av</c>, <c>Device Rejected%</c>): the known keys
/// typed, every other key of the entry kept as the miner sent it (so miners of other drivers still produce useful
/// frames). Cointerra boards (<c>stats</c> entries with ID <c>CTA0</c>, <c>CTA1</c>...) are decoded per
/// driver-cointerra.c <c>cta_api_stats()</c>. A section is null when its command was not configured or did not answer.
/// Units: hash rates MH/s (<c>MHS *</c>), temperatures degrees C, fans and pumps RPM, times Unix seconds by the
/// miner's clock, <c>Elapsed</c> seconds, <c>%</c> fields percent.
/// </summary>
public sealed record CgminerFrame : Frame
{
    public const string Name = "cgminer";

    /// <inheritdoc />
    protected override string ReporterName => Name;

    /// <summary>True when every command of the poll got a reply with STATUS S, I or W. JSON <c>api_ok</c>.</summary>
    [JsonPropertyName("api_ok")]
    public bool ApiOk { get; init; }

    /// <summary>The first failure of the poll; null when <see cref="ApiOk"/>. JSON <c>error</c>.</summary>
    [JsonPropertyName("error")]
    public CgminerApiError? Error { get; init; }

    /// <summary>The API polled, <c>host:port</c> as configured. JSON <c>api_endpoint</c>.</summary>
    [JsonPropertyName("api_endpoint")]
    public string ApiEndpoint { get; init; } = "";

    /// <summary>STATUS <c>Description</c> of the last reply, the miner software, e.g. <c>cgminer 4.3.5</c>. JSON <c>api_description</c>.</summary>
    [JsonPropertyName("api_description")]
    public string? ApiDescription { get; init; }

    /// <summary>STATUS <c>When</c> of the last reply: the miner's clock, Unix seconds (compare its time fields with this). JSON <c>api_when</c>.</summary>
    [JsonPropertyName("api_when")]
    public long? ApiWhen { get; init; }

    /// <summary><c>asccount</c>: <c>ASCS[0].Count</c>, the number of ASIC devices. JSON <c>asc_count</c>.</summary>
    [JsonPropertyName("asc_count")]
    public int? AscCount { get; init; }

    /// <summary><c>asc N</c> for N = 0..asc_count-1: <c>ASC[0]</c> of each. JSON <c>asc</c>.</summary>
    [JsonPropertyName("asc")]
    public IReadOnlyList<CgminerDevice>? Asc { get; init; }

    /// <summary><c>coin</c>: <c>COIN[0]</c>. JSON <c>coin</c>.</summary>
    [JsonPropertyName("coin")]
    public CgminerCoin? Coin { get; init; }

    /// <summary><c>pools</c>: <c>POOLS[]</c>. JSON <c>pools</c>.</summary>
    [JsonPropertyName("pools")]
    public IReadOnlyList<CgminerPool>? Pools { get; init; }

    /// <summary><c>summary</c>: <c>SUMMARY[0]</c>. JSON <c>summary</c>.</summary>
    [JsonPropertyName("summary")]
    public CgminerSummary? Summary { get; init; }

    /// <summary><c>stats</c>: the Cointerra boards (<c>STATS[]</c> entries whose ID is CTA followed by a number), decoded. JSON <c>boards</c>.</summary>
    [JsonPropertyName("boards")]
    public IReadOnlyList<CointerraBoard>? Boards { get; init; }

    /// <summary><c>stats</c>: every other <c>STATS[]</c> entry (pools <c>POOL0</c>..., other drivers), keys verbatim. JSON <c>stats</c>.</summary>
    [JsonPropertyName("stats")]
    public IReadOnlyList<CgminerStats>? Stats { get; init; }

    /// <summary><c>devs</c>: <c>DEVS[]</c>. JSON <c>devs</c>.</summary>
    [JsonPropertyName("devs")]
    public IReadOnlyList<CgminerDevice>? Devs { get; init; }
}

/// <summary>Why a poll failed. JSON values are the snake_case names.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<CgminerErrorKind>))]
public enum CgminerErrorKind
{
    /// <summary>Connection refused: the API is not listening (cgminer stopped, no --api-listen, miner rebooting).</summary>
    [JsonStringEnumMemberName("refused")]
    Refused,

    /// <summary>The host name does not resolve, or the host or its network is unreachable.</summary>
    [JsonStringEnumMemberName("unreachable")]
    Unreachable,

    /// <summary>No connection, or no complete reply, within the configured timeout.</summary>
    [JsonStringEnumMemberName("timeout")]
    Timeout,

    /// <summary>The miner reset the connection.</summary>
    [JsonStringEnumMemberName("reset")]
    Reset,

    /// <summary>The connection closed without a byte of reply (cgminer does this to addresses its --api-allow does not list).</summary>
    [JsonStringEnumMemberName("empty")]
    Empty,

    /// <summary>The reply exceeded the client's size cap.</summary>
    [JsonStringEnumMemberName("too_large")]
    TooLarge,

    /// <summary>The connection closed before the terminating NUL, and what came is not a complete reply.</summary>
    [JsonStringEnumMemberName("truncated")]
    Truncated,

    /// <summary>The reply is neither valid JSON (after the usual repairs) nor cgminer's text format, or it has no STATUS.</summary>
    [JsonStringEnumMemberName("bad_json")]
    BadJson,

    /// <summary>The reply's STATUS is E (error) or F (fatal); <c>code</c> and <c>message</c> are its Code and Msg.</summary>
    [JsonStringEnumMemberName("status_error")]
    StatusError,

    /// <summary>Any other socket error.</summary>
    [JsonStringEnumMemberName("socket_error")]
    SocketError,
}

/// <summary>One failed command of a poll.</summary>
public sealed record CgminerApiError
{
    /// <summary>The command, e.g. <c>summary</c>. JSON <c>command</c>.</summary>
    [JsonPropertyName("command")]
    public required string Command { get; init; }

    /// <summary>The command's parameter, e.g. <c>1</c> for <c>asc 1</c>; absent without one. JSON <c>parameter</c>.</summary>
    [JsonPropertyName("parameter")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Parameter { get; init; }

    /// <summary>What went wrong. JSON <c>kind</c>.</summary>
    [JsonPropertyName("kind")]
    public required CgminerErrorKind Kind { get; init; }

    /// <summary>For people: the socket error, or the STATUS Msg. JSON <c>message</c>.</summary>
    [JsonPropertyName("message")]
    public required string Message { get; init; }

    /// <summary><c>status_error</c> only: the STATUS letter, <c>E</c> or <c>F</c>. JSON <c>status</c>.</summary>
    [JsonPropertyName("status")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Status { get; init; }

    /// <summary><c>status_error</c> only: the STATUS Code, e.g. 14 Invalid command, 45 Access denied. JSON <c>code</c>.</summary>
    [JsonPropertyName("code")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? Code { get; init; }
}

/// <summary>
/// An <c>ASC[0]</c> entry of <c>asc N</c>, or a <c>DEVS[]</c> entry (api.c <c>ascstatus()</c>): cgminer's keys, typed;
/// a key absent from the reply (or not of its type) is left out; every other key is kept in <see cref="Other"/>.
/// </summary>
public sealed record CgminerDevice
{
    /// <summary><c>ASC</c>: the ASIC device number. JSON <c>ASC</c>.</summary>
    [JsonPropertyName("ASC")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? Asc { get; init; }

    /// <summary><c>Name</c>: the driver's short name, e.g. <c>CTA</c> (Cointerra). JSON <c>Name</c>.</summary>
    [JsonPropertyName("Name")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Name { get; init; }

    /// <summary><c>ID</c>: the device number within its driver. JSON <c>ID</c>.</summary>
    [JsonPropertyName("ID")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? Id { get; init; }

    /// <summary><c>Enabled</c>: <c>Y</c> or <c>N</c>. JSON <c>Enabled</c>.</summary>
    [JsonPropertyName("Enabled")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Enabled { get; init; }

    /// <summary><c>Status</c>: <c>Alive</c>, <c>Sick</c>, <c>Dead</c>, <c>NoStart</c>, <c>Initialising</c> or <c>Unknown</c>. JSON <c>Status</c>.</summary>
    [JsonPropertyName("Status")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Status { get; init; }

    /// <summary><c>Temperature</c>, degrees C. JSON <c>Temperature</c>.</summary>
    [JsonPropertyName("Temperature")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? Temperature { get; init; }

    /// <summary><c>MHS av</c>: average hash rate since start, MH/s. JSON <c>MHS av</c>.</summary>
    [JsonPropertyName("MHS av")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? MhsAv { get; init; }

    /// <summary><c>MHS 5s</c>: hash rate over cgminer's log interval (5 s by default), MH/s. JSON <c>MHS 5s</c>.</summary>
    [JsonPropertyName("MHS 5s")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? Mhs5s { get; init; }

    /// <summary><c>MHS 1m</c>, MH/s. JSON <c>MHS 1m</c>.</summary>
    [JsonPropertyName("MHS 1m")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? Mhs1m { get; init; }

    /// <summary><c>MHS 5m</c>, MH/s. JSON <c>MHS 5m</c>.</summary>
    [JsonPropertyName("MHS 5m")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? Mhs5m { get; init; }

    /// <summary><c>MHS 15m</c>, MH/s. JSON <c>MHS 15m</c>.</summary>
    [JsonPropertyName("MHS 15m")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? Mhs15m { get; init; }

    /// <summary><c>Accepted</c>: shares accepted. JSON <c>Accepted</c>.</summary>
    [JsonPropertyName("Accepted")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? Accepted { get; init; }

    /// <summary><c>Rejected</c>: shares rejected. JSON <c>Rejected</c>.</summary>
    [JsonPropertyName("Rejected")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? Rejected { get; init; }

    /// <summary><c>Hardware Errors</c>: nonces that failed verification. JSON <c>Hardware Errors</c>.</summary>
    [JsonPropertyName("Hardware Errors")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? HardwareErrors { get; init; }

    /// <summary><c>Utility</c>: accepted shares per minute. JSON <c>Utility</c>.</summary>
    [JsonPropertyName("Utility")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? Utility { get; init; }

    /// <summary><c>Last Share Pool</c>: the pool number of the last share. JSON <c>Last Share Pool</c>.</summary>
    [JsonPropertyName("Last Share Pool")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? LastSharePool { get; init; }

    /// <summary><c>Last Share Time</c>, Unix seconds (miner's clock; 0 = none yet). JSON <c>Last Share Time</c>.</summary>
    [JsonPropertyName("Last Share Time")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? LastShareTime { get; init; }

    /// <summary><c>Total MH</c>: megahashes done since start. JSON <c>Total MH</c>.</summary>
    [JsonPropertyName("Total MH")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? TotalMh { get; init; }

    /// <summary><c>Diff1 Work</c>: work done, in difficulty-1 shares. JSON <c>Diff1 Work</c>.</summary>
    [JsonPropertyName("Diff1 Work")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? Diff1Work { get; init; }

    /// <summary><c>Difficulty Accepted</c>. JSON <c>Difficulty Accepted</c>.</summary>
    [JsonPropertyName("Difficulty Accepted")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? DifficultyAccepted { get; init; }

    /// <summary><c>Difficulty Rejected</c>. JSON <c>Difficulty Rejected</c>.</summary>
    [JsonPropertyName("Difficulty Rejected")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? DifficultyRejected { get; init; }

    /// <summary><c>No Device</c>: true when cgminer lost the device (USB unplugged). JSON <c>No Device</c>.</summary>
    [JsonPropertyName("No Device")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public bool? NoDevice { get; init; }

    /// <summary><c>Last Valid Work</c>, Unix seconds (miner's clock). JSON <c>Last Valid Work</c>.</summary>
    [JsonPropertyName("Last Valid Work")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? LastValidWork { get; init; }

    /// <summary><c>Device Hardware%</c>: hardware errors per (errors + diff1 work), percent. JSON <c>Device Hardware%</c>.</summary>
    [JsonPropertyName("Device Hardware%")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? DeviceHardwarePercent { get; init; }

    /// <summary><c>Device Rejected%</c>: difficulty rejected per diff1 work, percent. JSON <c>Device Rejected%</c>.</summary>
    [JsonPropertyName("Device Rejected%")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? DeviceRejectedPercent { get; init; }

    /// <summary><c>Device Elapsed</c>: seconds since the device started. JSON <c>Device Elapsed</c>.</summary>
    [JsonPropertyName("Device Elapsed")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? DeviceElapsed { get; init; }

    /// <summary>Every other key of the entry (e.g. <c>PGA</c>, <c>GPU</c>, driver extras), as the miner sent it.</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Other { get; set; }
}

/// <summary>The <c>SUMMARY[0]</c> entry of <c>summary</c> (api.c <c>summary()</c>); known keys typed, the rest in <see cref="Other"/>.</summary>
public sealed record CgminerSummary
{
    /// <summary><c>Elapsed</c>: seconds since cgminer started. JSON <c>Elapsed</c>.</summary>
    [JsonPropertyName("Elapsed")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? Elapsed { get; init; }

    /// <summary><c>MHS av</c>, MH/s. JSON <c>MHS av</c>.</summary>
    [JsonPropertyName("MHS av")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? MhsAv { get; init; }

    /// <summary><c>MHS 5s</c>, MH/s. JSON <c>MHS 5s</c>.</summary>
    [JsonPropertyName("MHS 5s")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? Mhs5s { get; init; }

    /// <summary><c>MHS 1m</c>, MH/s. JSON <c>MHS 1m</c>.</summary>
    [JsonPropertyName("MHS 1m")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? Mhs1m { get; init; }

    /// <summary><c>MHS 5m</c>, MH/s. JSON <c>MHS 5m</c>.</summary>
    [JsonPropertyName("MHS 5m")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? Mhs5m { get; init; }

    /// <summary><c>MHS 15m</c>, MH/s. JSON <c>MHS 15m</c>.</summary>
    [JsonPropertyName("MHS 15m")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? Mhs15m { get; init; }

    /// <summary><c>Found Blocks</c>. JSON <c>Found Blocks</c>.</summary>
    [JsonPropertyName("Found Blocks")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? FoundBlocks { get; init; }

    /// <summary><c>Getworks</c>. JSON <c>Getworks</c>.</summary>
    [JsonPropertyName("Getworks")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? Getworks { get; init; }

    /// <summary><c>Accepted</c>: shares accepted. JSON <c>Accepted</c>.</summary>
    [JsonPropertyName("Accepted")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? Accepted { get; init; }

    /// <summary><c>Rejected</c>: shares rejected. JSON <c>Rejected</c>.</summary>
    [JsonPropertyName("Rejected")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? Rejected { get; init; }

    /// <summary><c>Hardware Errors</c>. JSON <c>Hardware Errors</c>.</summary>
    [JsonPropertyName("Hardware Errors")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? HardwareErrors { get; init; }

    /// <summary><c>Utility</c>: accepted shares per minute. JSON <c>Utility</c>.</summary>
    [JsonPropertyName("Utility")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? Utility { get; init; }

    /// <summary><c>Discarded</c>: work discarded. JSON <c>Discarded</c>.</summary>
    [JsonPropertyName("Discarded")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? Discarded { get; init; }

    /// <summary><c>Stale</c>: stale shares. JSON <c>Stale</c>.</summary>
    [JsonPropertyName("Stale")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? Stale { get; init; }

    /// <summary><c>Get Failures</c>. JSON <c>Get Failures</c>.</summary>
    [JsonPropertyName("Get Failures")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? GetFailures { get; init; }

    /// <summary><c>Remote Failures</c>. JSON <c>Remote Failures</c>.</summary>
    [JsonPropertyName("Remote Failures")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? RemoteFailures { get; init; }

    /// <summary><c>Total MH</c>: megahashes done since start. JSON <c>Total MH</c>.</summary>
    [JsonPropertyName("Total MH")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? TotalMh { get; init; }

    /// <summary><c>Work Utility</c>: difficulty-1 shares per minute. JSON <c>Work Utility</c>.</summary>
    [JsonPropertyName("Work Utility")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? WorkUtility { get; init; }

    /// <summary><c>Difficulty Accepted</c>. JSON <c>Difficulty Accepted</c>.</summary>
    [JsonPropertyName("Difficulty Accepted")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? DifficultyAccepted { get; init; }

    /// <summary><c>Difficulty Rejected</c>. JSON <c>Difficulty Rejected</c>.</summary>
    [JsonPropertyName("Difficulty Rejected")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? DifficultyRejected { get; init; }

    /// <summary><c>Difficulty Stale</c>. JSON <c>Difficulty Stale</c>.</summary>
    [JsonPropertyName("Difficulty Stale")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? DifficultyStale { get; init; }

    /// <summary><c>Best Share</c>: the highest share difficulty found. JSON <c>Best Share</c>.</summary>
    [JsonPropertyName("Best Share")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? BestShare { get; init; }

    /// <summary><c>Device Hardware%</c>, percent. JSON <c>Device Hardware%</c>.</summary>
    [JsonPropertyName("Device Hardware%")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? DeviceHardwarePercent { get; init; }

    /// <summary><c>Device Rejected%</c>, percent. JSON <c>Device Rejected%</c>.</summary>
    [JsonPropertyName("Device Rejected%")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? DeviceRejectedPercent { get; init; }

    /// <summary><c>Pool Rejected%</c>, percent. JSON <c>Pool Rejected%</c>.</summary>
    [JsonPropertyName("Pool Rejected%")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? PoolRejectedPercent { get; init; }

    /// <summary><c>Pool Stale%</c>, percent. JSON <c>Pool Stale%</c>.</summary>
    [JsonPropertyName("Pool Stale%")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? PoolStalePercent { get; init; }

    /// <summary>Every other key, as the miner sent it.</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Other { get; set; }
}

/// <summary>A <c>POOLS[]</c> entry of <c>pools</c> (api.c <c>poolstatus()</c>); known keys typed, the rest in <see cref="Other"/>.</summary>
public sealed record CgminerPool
{
    /// <summary><c>POOL</c>: the pool number. JSON <c>POOL</c>.</summary>
    [JsonPropertyName("POOL")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? Pool { get; init; }

    /// <summary><c>URL</c>. JSON <c>URL</c>.</summary>
    [JsonPropertyName("URL")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Url { get; init; }

    /// <summary><c>Status</c>: <c>Alive</c>, <c>Dead</c>, <c>Disabled</c>, <c>Rejecting</c> or <c>Unknown</c>. JSON <c>Status</c>.</summary>
    [JsonPropertyName("Status")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Status { get; init; }

    /// <summary><c>Priority</c>: 0 is tried first. JSON <c>Priority</c>.</summary>
    [JsonPropertyName("Priority")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? Priority { get; init; }

    /// <summary><c>Quota</c>. JSON <c>Quota</c>.</summary>
    [JsonPropertyName("Quota")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? Quota { get; init; }

    /// <summary><c>Getworks</c>. JSON <c>Getworks</c>.</summary>
    [JsonPropertyName("Getworks")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? Getworks { get; init; }

    /// <summary><c>Accepted</c>: shares accepted by this pool. JSON <c>Accepted</c>.</summary>
    [JsonPropertyName("Accepted")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? Accepted { get; init; }

    /// <summary><c>Rejected</c>. JSON <c>Rejected</c>.</summary>
    [JsonPropertyName("Rejected")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? Rejected { get; init; }

    /// <summary><c>Works</c>. JSON <c>Works</c>.</summary>
    [JsonPropertyName("Works")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? Works { get; init; }

    /// <summary><c>Discarded</c>. JSON <c>Discarded</c>.</summary>
    [JsonPropertyName("Discarded")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? Discarded { get; init; }

    /// <summary><c>Stale</c>. JSON <c>Stale</c>.</summary>
    [JsonPropertyName("Stale")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? Stale { get; init; }

    /// <summary><c>Get Failures</c>. JSON <c>Get Failures</c>.</summary>
    [JsonPropertyName("Get Failures")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? GetFailures { get; init; }

    /// <summary><c>Remote Failures</c>. JSON <c>Remote Failures</c>.</summary>
    [JsonPropertyName("Remote Failures")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? RemoteFailures { get; init; }

    /// <summary><c>User</c>: the worker name. JSON <c>User</c>.</summary>
    [JsonPropertyName("User")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? User { get; init; }

    /// <summary><c>Last Share Time</c>, Unix seconds (miner's clock; 0 = none yet). JSON <c>Last Share Time</c>.</summary>
    [JsonPropertyName("Last Share Time")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? LastShareTime { get; init; }

    /// <summary><c>Difficulty Accepted</c>. JSON <c>Difficulty Accepted</c>.</summary>
    [JsonPropertyName("Difficulty Accepted")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? DifficultyAccepted { get; init; }

    /// <summary><c>Difficulty Rejected</c>. JSON <c>Difficulty Rejected</c>.</summary>
    [JsonPropertyName("Difficulty Rejected")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? DifficultyRejected { get; init; }

    /// <summary><c>Difficulty Stale</c>. JSON <c>Difficulty Stale</c>.</summary>
    [JsonPropertyName("Difficulty Stale")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? DifficultyStale { get; init; }

    /// <summary><c>Stratum Active</c>: the stratum connection is up. JSON <c>Stratum Active</c>.</summary>
    [JsonPropertyName("Stratum Active")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public bool? StratumActive { get; init; }

    /// <summary><c>Stratum URL</c>: host:port of the stratum connection, empty when inactive. JSON <c>Stratum URL</c>.</summary>
    [JsonPropertyName("Stratum URL")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? StratumUrl { get; init; }

    /// <summary><c>Best Share</c>. JSON <c>Best Share</c>.</summary>
    [JsonPropertyName("Best Share")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? BestShare { get; init; }

    /// <summary><c>Pool Rejected%</c>, percent. JSON <c>Pool Rejected%</c>.</summary>
    [JsonPropertyName("Pool Rejected%")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? PoolRejectedPercent { get; init; }

    /// <summary><c>Pool Stale%</c>, percent. JSON <c>Pool Stale%</c>.</summary>
    [JsonPropertyName("Pool Stale%")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? PoolStalePercent { get; init; }

    /// <summary>Every other key, as the miner sent it.</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Other { get; set; }
}

/// <summary>The <c>COIN[0]</c> entry of <c>coin</c> (api.c <c>minecoin()</c>); known keys typed, the rest in <see cref="Other"/>.</summary>
public sealed record CgminerCoin
{
    /// <summary><c>Hash Method</c>, e.g. <c>sha256</c>. JSON <c>Hash Method</c>.</summary>
    [JsonPropertyName("Hash Method")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? HashMethod { get; init; }

    /// <summary><c>Current Block Time</c>: when the miner saw the current block, Unix seconds with fraction (miner's clock). JSON <c>Current Block Time</c>.</summary>
    [JsonPropertyName("Current Block Time")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? CurrentBlockTime { get; init; }

    /// <summary><c>Current Block Hash</c>, hex. JSON <c>Current Block Hash</c>.</summary>
    [JsonPropertyName("Current Block Hash")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? CurrentBlockHash { get; init; }

    /// <summary><c>LP</c>: long polling in use. JSON <c>LP</c>.</summary>
    [JsonPropertyName("LP")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public bool? Lp { get; init; }

    /// <summary><c>Network Difficulty</c>. JSON <c>Network Difficulty</c>.</summary>
    [JsonPropertyName("Network Difficulty")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? NetworkDifficulty { get; init; }

    /// <summary>Every other key, as the miner sent it.</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Other { get; set; }
}

/// <summary>A <c>STATS[]</c> entry of <c>stats</c> that is not a Cointerra board (api.c <c>itemstats()</c>): <c>STATS</c> and <c>ID</c> typed, every other key as the miner sent it.</summary>
public sealed record CgminerStats
{
    /// <summary><c>STATS</c>: the entry's position. JSON <c>STATS</c>.</summary>
    [JsonPropertyName("STATS")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? Stats { get; init; }

    /// <summary><c>ID</c>: the driver name and device number (<c>BAJ0</c>), or <c>POOL0</c>... for pools. JSON <c>ID</c>.</summary>
    [JsonPropertyName("ID")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Id { get; init; }

    /// <summary>Every other key (<c>Elapsed</c>, <c>Calls</c>, <c>Wait</c>, the driver's own keys), as the miner sent it.</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Other { get; set; }
}

/// <summary>
/// A Cointerra board: a <c>STATS[]</c> entry with ID <c>CTA&lt;n&gt;</c>, decoded as driver-cointerra.c <c>cta_api_stats()</c>
/// writes it. Temperatures (<c>CoreTemp*</c>, <c>Ambient *</c>, hundredths of a degree) are converted to degrees C;
/// the decoded keys are not repeated; every other key (<c>CoreFreqs*</c>, <c>IR*</c>, <c>Hashrate</c>, ...) is in <see cref="Other"/>.
/// </summary>
public sealed record CointerraBoard
{
    /// <summary><c>STATS</c>: the entry's position. JSON <c>STATS</c>.</summary>
    [JsonPropertyName("STATS")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? Stats { get; init; }

    /// <summary><c>ID</c>: <c>CTA0</c>, <c>CTA1</c>... JSON <c>ID</c>.</summary>
    [JsonPropertyName("ID")]
    public required string Id { get; init; }

    /// <summary><c>Board number</c>. JSON <c>Board number</c>.</summary>
    [JsonPropertyName("Board number")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? BoardNumber { get; init; }

    /// <summary><c>Serial</c>. JSON <c>Serial</c>.</summary>
    [JsonPropertyName("Serial")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? Serial { get; init; }

    /// <summary><c>FW Revision</c>, <c>a.b.c</c>. JSON <c>FW Revision</c>.</summary>
    [JsonPropertyName("FW Revision")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? FwRevision { get; init; }

    /// <summary><c>Asics</c>: ASICs on the board. JSON <c>Asics</c>.</summary>
    [JsonPropertyName("Asics")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? Asics { get; init; }

    /// <summary><c>Dies</c>: dies on the board (die i is <c>Asic&lt;i/4&gt;Core&lt;i%4&gt;</c>, its temperature <c>CoreTemp&lt;i&gt;</c>). JSON <c>Dies</c>.</summary>
    [JsonPropertyName("Dies")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? Dies { get; init; }

    /// <summary><c>DiesActive</c>: dies the firmware reports active; fewer than <see cref="Dies"/> means dies were lost. JSON <c>DiesActive</c>.</summary>
    [JsonPropertyName("DiesActive")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? DiesActive { get; init; }

    /// <summary><c>CoreTemp0</c>..<c>CoreTemp7</c> / 100: degrees C per die, index = die (null where the reply lacks that index). JSON <c>core_temps</c>.</summary>
    [JsonPropertyName("core_temps")]
    public IReadOnlyList<double?> CoreTemps { get; init; } = [];

    /// <summary>
    /// Average of <see cref="CoreTemps"/> over the active dies, degrees C: dies 0..Dies-1 (all present when <c>Dies</c> is
    /// absent), leaving out a die whose engine bitmap shows no live engine. With every die alive this is the original
    /// monitor's sum(CoreTemp0..Dies-1)/100/Dies. Rounded to 0.01; null when no die counts. JSON <c>avg_core_temp</c>.
    /// </summary>
    [JsonPropertyName("avg_core_temp")]
    public double? AvgCoreTemp { get; init; }

    /// <summary>The hottest of the active dies, degrees C; null when no die counts. JSON <c>max_core_temp</c>.</summary>
    [JsonPropertyName("max_core_temp")]
    public double? MaxCoreTemp { get; init; }

    /// <summary><c>Ambient Low</c> / 100, degrees C. JSON <c>ambient_low</c>.</summary>
    [JsonPropertyName("ambient_low")]
    public double? AmbientLow { get; init; }

    /// <summary><c>Ambient Avg</c> / 100, degrees C. JSON <c>ambient_avg</c>.</summary>
    [JsonPropertyName("ambient_avg")]
    public double? AmbientAvg { get; init; }

    /// <summary><c>Ambient High</c> / 100, degrees C. JSON <c>ambient_high</c>.</summary>
    [JsonPropertyName("ambient_high")]
    public double? AmbientHigh { get; init; }

    /// <summary>The valid fan readings, <c>FanRPM&lt;n&gt;</c> -> RPM: 0 and 65000 or more mean no fan there and are left out. JSON <c>fans</c>.</summary>
    [JsonPropertyName("fans")]
    public IReadOnlyDictionary<string, int> Fans { get; init; } = new Dictionary<string, int>();

    /// <summary><c>PumpRPM&lt;n&gt;</c> -> RPM, every pump. JSON <c>pumps</c>.</summary>
    [JsonPropertyName("pumps")]
    public IReadOnlyDictionary<string, int> Pumps { get; init; } = new Dictionary<string, int>();

    /// <summary><c>HWErrors0</c>..<c>HWErrors7</c>: hardware errors per die since start, index = die (null where the reply lacks that index). JSON <c>hw_errors</c>.</summary>
    [JsonPropertyName("hw_errors")]
    public IReadOnlyList<long?> HwErrors { get; init; } = [];

    /// <summary>
    /// <c>Asic&lt;a&gt;Core&lt;c&gt;</c> -> live engines of that die: the bits set in its engine bitmap, whether the firmware sent
    /// <c>"&lt;count&gt;:&lt;32 hex&gt;"</c> (after March 2014) or the bare 32 hex digits (earliest firmware). JSON <c>live_engines</c>.
    /// </summary>
    [JsonPropertyName("live_engines")]
    public IReadOnlyDictionary<string, int> LiveEngines { get; init; } = new Dictionary<string, int>();

    /// <summary>Every other key of the board, as the miner sent it.</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Other { get; set; }
}
