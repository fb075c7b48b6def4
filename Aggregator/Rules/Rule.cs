using System.IO.Enumeration;
using System.Text.Json.Serialization;

namespace Psistats.Aggregator.Rules;

/// <summary>The <see cref="Rule.Kind"/> values: how a rule decides that its alert holds.</summary>
public static class RuleKinds
{
    /// <summary>A condition <c>PATH OP VALUE</c> on the frames of a reporter (every user rule is one).</summary>
    public const string Threshold = "threshold";

    /// <summary>The host sent nothing for <c>[aggregator] down_after</c> (raised by <see cref="AlertEngine.OnHostDown"/>).</summary>
    public const string HostDown = "host_down";

    /// <summary>A reporter's last frame is older than <c>stale_factor</c> × its interval (checked by <see cref="AlertEngine.Tick"/>).</summary>
    public const string Stale = "stale";

    /// <summary>Cointerra dies lost: a board's <c>DiesActive</c> below <c>Dies</c>, or a die alive at the host's first good poll now dead.</summary>
    public const string DiesLost = "dies_lost";

    /// <summary>A member (a disk) seen in earlier frames of the host and absent from the latest (Diskmonitor's Disk-Up alert).</summary>
    public const string Missing = "missing";

    /// <summary>
    /// Raised outside the rules, by the miner remediation (<c>remediation_max_reboots</c>, <c>remediation_fleet_guard</c>), and
    /// recorded with <see cref="AlertEngine.RecordExternal"/>; a rule of this kind is never evaluated on frames. It exists so that
    /// its alerts have a severity and notifiers people can tune, are listed by /api/rules and survive a restart.
    /// </summary>
    public const string External = "external";
}

/// <summary>The <see cref="Rule.Source"/> values.</summary>
public static class RuleSources
{
    /// <summary>A built-in rule, untouched by the file.</summary>
    public const string Builtin = "builtin";

    /// <summary>A built-in rule tuned by a <c>[rule:NAME]</c> section of the same name.</summary>
    public const string BuiltinAndFile = "builtin+file";

    /// <summary>A rule of the file only.</summary>
    public const string File = "file";
}

/// <summary>
/// One effective alert rule: a built-in, a built-in tuned by a <c>[rule:NAME]</c> section, or a rule of the file. Serialised
/// as is by <c>GET /api/rules</c> (snake_case names). Read by <see cref="RuleSet.Read"/>; see docs/rules.md.
/// </summary>
public sealed record Rule
{
    /// <summary>NAME of <c>[rule:NAME]</c> (<c>disk_space</c>, <c>cointerra_asic_status</c>): the alert key's rule.</summary>
    [JsonPropertyName("name")]
    public required string Name { get; init; }

    /// <summary><c>description</c>: what the rule watches, for people.</summary>
    [JsonPropertyName("description")]
    public string Description { get; init; } = "";

    /// <summary><c>builtin</c>, <c>builtin+file</c> or <c>file</c> (see <see cref="RuleSources"/>).</summary>
    [JsonPropertyName("source")]
    public required string Source { get; init; }

    /// <summary><c>enabled</c> (default yes; <c>no</c> switches a built-in off).</summary>
    [JsonPropertyName("enabled")]
    public bool Enabled { get; init; } = true;

    /// <summary>
    /// Whether the engine evaluates the rule: enabled, and, for a threshold rule, with a complete condition (the Diskmonitor
    /// built-ins are off until a <c>threshold</c> is set).
    /// </summary>
    [JsonPropertyName("active")]
    public bool Active { get; init; }

    /// <summary><c>hosts</c>: host name globs (<c>*</c>, <c>?</c>, case-insensitive); default <c>*</c>.</summary>
    [JsonPropertyName("hosts")]
    public IReadOnlyList<string> Hosts { get; init; } = ["*"];

    /// <summary><c>reporter</c>: the frames' reporter the rule reads (<c>cgminer</c>, <c>diskio</c>); null = any reporter.</summary>
    [JsonPropertyName("reporter")]
    public string? Reporter { get; init; }

    /// <summary>One of <see cref="RuleKinds"/>.</summary>
    [JsonPropertyName("kind")]
    public required string Kind { get; init; }

    /// <summary><c>PATH OP VALUE</c> with <c>threshold</c> applied (<c>PATH OP</c> while waiting for one); null for kinds without.</summary>
    [JsonPropertyName("condition")]
    public string? Condition { get; init; }

    /// <summary><c>clear</c>: the condition that must hold to resolve a firing alert; null = the condition no longer holding.</summary>
    [JsonPropertyName("clear")]
    public string? Clear { get; init; }

    /// <summary><c>hysteresis</c>, in the condition's unit: <c>&gt; 90</c> with 5 resolves at &lt;= 85; null = none.</summary>
    [JsonPropertyName("hysteresis")]
    public double? Hysteresis { get; init; }

    /// <summary><c>for = N</c>: consecutive matching frames before firing (0 or 1 = the first); 0 when <c>for</c> is a duration.</summary>
    [JsonPropertyName("for_frames")]
    public int ForFrames { get; init; }

    /// <summary><c>for = 30s/5m/1h</c>: how long the condition must have held (by receive times) before firing; null = a count.</summary>
    [JsonIgnore]
    public TimeSpan? ForDuration { get; init; }

    /// <summary><see cref="ForDuration"/> in seconds, as served.</summary>
    [JsonPropertyName("for_seconds")]
    public double? ForSeconds => ForDuration?.TotalSeconds;

    /// <summary><c>severity</c>: info, warning, error or critical.</summary>
    [JsonPropertyName("severity")]
    public Severity Severity { get; init; }

    /// <summary><c>notifiers</c>: the notifiers to use; null = every configured notifier; empty (<c>none</c>) = record only.</summary>
    [JsonPropertyName("notifiers")]
    public IReadOnlyList<string>? Notifiers { get; init; }

    /// <summary>The parsed condition (threshold rules, and the path of a missing rule).</summary>
    internal Condition? Compiled { get; init; }

    /// <summary>The parsed <c>clear</c>: a firing alert resolves only on a frame where it holds.</summary>
    internal Condition? ClearCompiled { get; init; }

    /// <summary>The condition relaxed by <c>hysteresis</c>: a firing alert stays firing while it holds.</summary>
    internal Condition? Relaxed { get; init; }

    /// <summary>Whether the rule applies to <paramref name="host"/> (its <see cref="Hosts"/> globs).</summary>
    public bool AppliesTo(string host)
    {
        foreach (var glob in Hosts)
        {
            if (FileSystemName.MatchesSimpleExpression(glob, host, ignoreCase: true))
            {
                return true;
            }
        }

        return false;
    }
}
