using System.Text.RegularExpressions;

namespace Psistats.Aggregator.Rules;

/// <summary>
/// A rule as text, before parsing: a built-in's definition, overlaid with the keys of its <c>[rule:NAME]</c> section, or a
/// rule of the file. Values are the raw key values (null = not set).
/// </summary>
internal sealed record RuleDraft
{
    public required string Name { get; init; }

    public required string Kind { get; init; }

    public string Description { get; init; } = "";

    public string? Hosts { get; init; }

    public string? Reporter { get; init; }

    public string? Condition { get; init; }

    public string? Threshold { get; init; }

    public string? Clear { get; init; }

    public string? Hysteresis { get; init; }

    public string? For { get; init; }

    public required string Severity { get; init; }

    public string? Notifiers { get; init; }
}

/// <summary>
/// The built-in rule sets, on by default; each can be tuned or switched off by a <c>[rule:NAME]</c> section of the same
/// name (docs/rules.md lists them with the source of each check).
/// </summary>
internal static partial class BuiltinRules
{
    /// <summary>
    /// The iostat -dx columns of our diskio frame that Diskmonitor's <c>io_thresholds</c> watched (sysstat 12 names: its
    /// <c>avgqu-sz</c> is <c>aqu-sz</c>, its <c>avgrq-sz</c> became <c>rareq-sz</c> and <c>wareq-sz</c>, its
    /// <c>kB_read/s</c> and <c>kB_wrtn/s</c> are <c>rkB/s</c> and <c>wkB/s</c>; <c>await</c> is gone since sysstat 12).
    /// </summary>
    public static readonly string[] DiskmonitorMetrics =
        ["tps", "r/s", "w/s", "rkB/s", "wkB/s", "rrqm/s", "wrqm/s", "r_await", "w_await", "rareq-sz", "wareq-sz", "aqu-sz", "%util"];

    /// <summary>Every built-in, in the order /api/rules lists them.</summary>
    public static IReadOnlyList<RuleDraft> All { get; } = Build();

    /// <summary>The rule name of a Diskmonitor metric: <c>disk_io_</c> + the column with every other character as <c>_</c> (<c>%util</c> -> <c>disk_io_util</c>).</summary>
    public static string DiskIoRuleName(string metric) =>
        "disk_io_" + NonAlphanumeric().Replace(metric.ToLowerInvariant(), "_").Trim('_');

    [GeneratedRegex("[^a-z0-9]+")]
    private static partial Regex NonAlphanumeric();

    private static RuleDraft[] Build()
    {
        var rules = new List<RuleDraft>
        {
            new()
            {
                Name = "host_down", Kind = RuleKinds.HostDown, Severity = "error",
                Description = "The host sent no frame for [aggregator] down_after seconds (aggregator's clock).",
            },
            new()
            {
                Name = "aggregator_blind", Kind = RuleKinds.External, Severity = "error",
                Description = "The aggregator has not been consuming from the broker for longer than [aggregator] down_after: host DOWN detection is paused meanwhile (one alert instead of one host_down per host).",
            },
            new()
            {
                Name = "remediation_max_reboots", Kind = RuleKinds.External, Severity = "critical",
                Description = "A miner needed more than [miner:NAME] max_reboots automatic reboots in 24 h: no more are made, a person is needed.",
            },
            new()
            {
                Name = "remediation_fleet_guard", Kind = RuleKinds.External, Severity = "critical",
                Description = "More than [remediation] fleet_guard of the configured miners fail at once: nothing is rebooted (likely the network or the broker).",
            },
            new()
            {
                Name = "reporter_stale", Kind = RuleKinds.Stale, Severity = "warning",
                Description = "A reporter's last frame is older than [aggregator] stale_factor times its interval while the host's other reporters still send.",
            },
            Cointerra("cointerra_asic_status", "asc[*].Status != Alive", "error", "An ASIC's Status is not Alive (cointerra-monitor error)."),
            Cointerra("cointerra_rejected", "asc[*].Device Rejected% > 5", "error", "An ASIC rejects more than 5 % of its shares (cointerra-monitor error)."),
            Cointerra("cointerra_enabled", "asc[*].Enabled != Y", "error", "An ASIC is not enabled (cointerra-monitor error)."),
            Cointerra("cointerra_api", "api_ok == false", "error", "The miner's cgminer API did not answer every command of a poll (cointerra-monitor error: no answer from the API)."),
            new()
            {
                Name = "cointerra_dies_lost", Kind = RuleKinds.DiesLost, Reporter = "cgminer", Severity = "error",
                Description = "A board's DiesActive is below Dies, or a die alive at the host's first good poll has no live engine now (cointerra-monitor error).",
            },
            Cointerra("cointerra_core_temp", "boards[*].avg_core_temp >= 85", "warning", "A board's average core temperature is 85 C or more (cointerra-monitor warning)."),
            Cointerra("cointerra_ambient", "boards[*].ambient_avg >= 85", "warning", "A board's Ambient Avg is 85 C or more (cointerra-monitor warning)."),
            Cointerra("cointerra_core_hot", "boards[*].core_temps[*] >= 100", "warning", "A single core is at 100 C or more (cointerra-monitor warning)."),
        };

        rules.AddRange(DiskmonitorMetrics.Select(metric => new RuleDraft
        {
            Name = DiskIoRuleName(metric), Kind = RuleKinds.Threshold, Reporter = "diskio", Severity = "warning",
            Condition = $"diskio.*.{metric} >",
            Description = $"A disk's iostat {metric} is above the threshold (Diskmonitor io_thresholds; off until threshold is set).",
        }));
        rules.Add(new RuleDraft
        {
            Name = "disk_missing", Kind = RuleKinds.Missing, Reporter = "diskio", Severity = "warning", Condition = "diskio.*",
            Description = "A disk seen in earlier diskio frames of the host is absent from the latest (Diskmonitor's Disk-Up alert).",
        });
        rules.Add(new RuleDraft
        {
            Name = "disk_space", Kind = RuleKinds.Threshold, Reporter = "hddspace", Severity = "warning",
            Condition = "filesystems.*.pcent > 90", Hysteresis = "2",
            Description = "A filesystem is more than 90 % full (df Use%).",
        });
        rules.Add(new RuleDraft
        {
            Name = "disk_inodes", Kind = RuleKinds.Threshold, Reporter = "hddspace", Severity = "warning",
            Condition = "filesystems.*.ipcent > 90", Hysteresis = "2",
            Description = "A filesystem has used more than 90 % of its inodes (df -i IUse%).",
        });
        return [.. rules];
    }

    private static RuleDraft Cointerra(string name, string condition, string severity, string description) => new()
    {
        Name = name, Kind = RuleKinds.Threshold, Reporter = "cgminer", Severity = severity, Condition = condition, Description = description,
    };
}
