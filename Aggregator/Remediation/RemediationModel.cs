using System.Text.Json;
using System.Text.Json.Serialization;

namespace Psistats.Aggregator.Remediation;

/// <summary>What a remediation does to the miner after its diagnostics.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<RemediationAction>))]
public enum RemediationAction
{
    /// <summary><c>restart</c>: the miner's <c>restart_command</c> (restarts cgminer only).</summary>
    [JsonStringEnumMemberName("restart")]
    Restart,

    /// <summary><c>reboot</c>: the miner's <c>reboot_command</c>.</summary>
    [JsonStringEnumMemberName("reboot")]
    Reboot,
}

/// <summary>How one cgminer poll of a watched miner counts (cointerra-monitor's cycle rules).</summary>
public enum PollKind
{
    /// <summary>No rule of warning severity or above matched: resets the error count.</summary>
    Clean,

    /// <summary>Only warnings matched (temperatures): neither counts nor resets.</summary>
    WarningOnly,

    /// <summary>A rule of error severity or above matched (ASIC not Alive, rejects, not enabled, API not answering, dies lost): counts.</summary>
    Error,
}

/// <summary>One error poll that led to a remediation.</summary>
/// <param name="At">Its receive time (aggregator's clock).</param>
/// <param name="Errors">What held, one line per matched error rule (the rule engine's summaries).</param>
/// <param name="Frame">The whole frame, as received.</param>
public sealed record ErrorPoll(DateTimeOffset At, IReadOnlyList<string> Errors, JsonElement Frame);

/// <summary>
/// A remediation that has been decided and recorded (row <c>remediation_runs.id</c> = <see cref="RunId"/>, state
/// <c>running</c>), for the <see cref="RemediationRunner"/>. Commands and targets are in <see cref="Miner"/>, from the
/// configuration only; the frames are carried for the report and the bundle, never executed or used as arguments.
/// </summary>
public sealed record RemediationPlan
{
    /// <summary>The run's id.</summary>
    public required long RunId { get; init; }

    /// <summary>The miner's configuration.</summary>
    public required MinerOptions Miner { get; init; }

    /// <summary>The action of step 4.</summary>
    public required RemediationAction Action { get; init; }

    /// <summary>Why this action (escalation, or who asked), one line.</summary>
    public required string Reason { get; init; }

    /// <summary><c>auto</c> (max_errors reached) or <c>manual</c> (the API).</summary>
    public required string Trigger { get; init; }

    /// <summary>Manual runs: who asked (<c>requested_by</c> and the remote address); null for automatic runs.</summary>
    public string? RequestedBy { get; init; }

    /// <summary>When it was decided.</summary>
    public required DateTimeOffset StartedAt { get; init; }

    /// <summary>The error polls since the miner was last clean (at most <see cref="MinerWatch.KeptErrorPolls"/>, the newest), oldest first.</summary>
    public IReadOnlyList<ErrorPoll> ErrorPolls { get; init; } = [];

    /// <summary>The miner's last clean poll, or null when none is known.</summary>
    public JsonElement? LastGoodFrame { get; init; }

    /// <summary>When <see cref="LastGoodFrame"/> was received.</summary>
    public DateTimeOffset? LastGoodAt { get; init; }
}

/// <summary>Trigger names (column <c>remediation_runs.trigger</c>).</summary>
public static class RemediationTriggers
{
    /// <summary>The error count reached max_errors.</summary>
    public const string Auto = "auto";

    /// <summary><c>POST /api/miners/{name}/reboot</c> or <c>/restart</c>.</summary>
    public const string Manual = "manual";
}

/// <summary>The outcome of a manual request (<see cref="MinerWatch.RequestManual"/>), mapped to HTTP by the API.</summary>
public enum ManualRequestStatus
{
    /// <summary>202: the run started; <see cref="ManualRequestResult.RunId"/> names it.</summary>
    Accepted,

    /// <summary>404: no enabled <c>[miner:NAME]</c> of that name.</summary>
    UnknownMiner,

    /// <summary>409: a guard refused; <see cref="ManualRequestResult.Reason"/> says which.</summary>
    Refused,
}

/// <summary>What <see cref="MinerWatch.RequestManual"/> decided.</summary>
/// <param name="Status">Accepted, unknown miner or refused.</param>
/// <param name="RunId">The run's id when accepted.</param>
/// <param name="Reason">One line for people: the guard that refused, or what runs.</param>
public sealed record ManualRequestResult(ManualRequestStatus Status, long? RunId, string Reason);

/// <summary>One watched miner's state, as <see cref="MinerWatch.Status"/> gives it (JSON for <c>GET /api/miners</c>).</summary>
public sealed record MinerStatus
{
    /// <summary>NAME.</summary>
    [JsonPropertyName("name")]
    public required string Name { get; init; }

    /// <summary><c>running</c> (a remediation), <c>cooldown</c>, <c>failing</c> (as the fleet guard counts it) or <c>ok</c>.</summary>
    [JsonPropertyName("state")]
    public required string State { get; init; }

    /// <summary>Consecutive error polls counted.</summary>
    [JsonPropertyName("error_count")]
    public int ErrorCount { get; init; }

    /// <summary>max_errors.</summary>
    [JsonPropertyName("max_errors")]
    public int MaxErrors { get; init; }

    /// <summary>The running remediation's id, or null.</summary>
    [JsonPropertyName("running_run")]
    public long? RunningRun { get; init; }

    /// <summary>End of the current cooldown, or null.</summary>
    [JsonPropertyName("cooldown_until")]
    public DateTimeOffset? CooldownUntil { get; init; }

    /// <summary><c>clean</c>, <c>warning</c> or <c>error</c>: the last poll seen since the aggregator started, or null.</summary>
    [JsonPropertyName("last_poll")]
    public string? LastPoll { get; init; }

    /// <summary>Its receive time.</summary>
    [JsonPropertyName("last_poll_at")]
    public DateTimeOffset? LastPollAt { get; init; }

    /// <summary>The last action sent, or null.</summary>
    [JsonPropertyName("last_action")]
    public RemediationAction? LastAction { get; init; }

    /// <summary>When it was sent.</summary>
    [JsonPropertyName("last_action_at")]
    public DateTimeOffset? LastActionAt { get; init; }

    /// <summary>Whether a clean poll came after its cooldown; null without an action.</summary>
    [JsonPropertyName("last_action_healed")]
    public bool? LastActionHealed { get; init; }

    /// <summary>Reboot commands sent in the last 24 h.</summary>
    [JsonPropertyName("reboots_24h")]
    public int Reboots24h { get; init; }

    /// <summary>max_reboots.</summary>
    [JsonPropertyName("max_reboots")]
    public int MaxReboots { get; init; }

    /// <summary>Since when the <c>remediation_max_reboots</c> alert fires, or null.</summary>
    [JsonPropertyName("person_needed_since")]
    public DateTimeOffset? PersonNeededSince { get; init; }
}
