using System.Globalization;
using System.Text.RegularExpressions;
using Psistats.Contracts.Configuration;

namespace Psistats.Aggregator.Rules;

/// <summary>
/// Every effective alert rule: the built-ins (<see cref="BuiltinRules"/>) overlaid with the <c>[rule:NAME]</c> sections of
/// the same name, then the file's own rules. A section's keys are <see cref="Keys"/>; docs/rules.md describes them, and every
/// problem goes into the <see cref="SettingsReader"/> as <c>[rule:NAME] key: message</c> so that <c>--check-config</c>
/// prints it. Immutable once read.
/// </summary>
public sealed partial class RuleSet
{
    /// <summary>The parent section of every rule: <c>[rule:NAME]</c>.</summary>
    public const string Section = "rule";

    /// <summary>Keys of a <c>[rule:NAME]</c> section.</summary>
    public static readonly string[] Keys =
        ["enabled", "description", "hosts", "reporter", "condition", "threshold", "clear", "hysteresis", "for", "severity", "notifiers"];

    /// <summary>The <c>severity</c> values, mildest first.</summary>
    public static readonly string[] Severities = ["info", "warning", "error", "critical"];

    private readonly Dictionary<string, Rule> _byName;

    private RuleSet(IReadOnlyList<Rule> rules)
    {
        Rules = rules;
        _byName = rules.ToDictionary(r => r.Name, StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>Every rule, enabled or not, active or not: built-ins first, in their order, then the file's rules by name.</summary>
    public IReadOnlyList<Rule> Rules { get; }

    /// <summary>The rule named <paramref name="name"/> (case-insensitive), or null.</summary>
    public Rule? Find(string name) => _byName.GetValueOrDefault(name);

    /// <summary>
    /// Reads the rules: every built-in, tuned or switched off by a <c>[rule:NAME]</c> section of its name; every other
    /// <c>[rule:NAME]</c> section is a rule of the user. Problems go to <paramref name="reader"/>; a rule with a problem is
    /// kept but inactive.
    /// </summary>
    /// <param name="reader">The configuration (psistats.ini plus environment overrides such as <c>PSISTATS_rule__disk_space__threshold=95</c>).</param>
    /// <param name="notifierNames">The configured notifiers' names, which <c>notifiers</c> may list (case-insensitive).</param>
    public static RuleSet Read(SettingsReader reader, IReadOnlyCollection<string> notifierNames)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(notifierNames);
        var sections = new List<string>();
        foreach (var child in reader.Configuration.GetSection(Section).GetChildren())
        {
            if (child.Value is not null)
            {
                reader.AddError(Section, child.Key, "rule settings go in a [rule:NAME] section, one per rule");
            }
            else if (!ValidName().IsMatch(child.Key))
            {
                reader.AddError($"{Section}:{child.Key}", "name", "a rule name is 1 to 100 letters, digits, '_', '-' or '.', starting with a letter or digit");
            }
            else
            {
                reader.CheckUnknownKeys($"{Section}:{child.Key}", Keys);
                sections.Add(child.Key);
            }
        }

        var rules = new List<Rule>();
        foreach (var builtin in BuiltinRules.All)
        {
            var name = sections.FirstOrDefault(s => string.Equals(s, builtin.Name, StringComparison.OrdinalIgnoreCase));
            rules.Add(name is null
                ? Compile(builtin, reader, notifierNames, fileSection: null)
                : Compile(Overlay(builtin, reader, $"{Section}:{name}"), reader, notifierNames, $"{Section}:{name}"));
        }

        foreach (var name in sections.Where(s => !BuiltinRules.All.Any(b => string.Equals(b.Name, s, StringComparison.OrdinalIgnoreCase))).Order(StringComparer.Ordinal))
        {
            var section = $"{Section}:{name}";
            var draft = Overlay(new RuleDraft { Name = name, Kind = RuleKinds.Threshold, Severity = "warning" }, reader, section);
            if (draft.Condition is null)
            {
                reader.AddError(section, "condition", "required: PATH OP VALUE, e.g. filesystems.*.pcent > 90");
            }

            rules.Add(Compile(draft, reader, notifierNames, section));
        }

        return new RuleSet(rules);
    }

    /// <summary>
    /// The draft with every key the section sets that its kind uses (<see cref="Compile"/> reports the others); a <c>clear</c>
    /// of the file replaces a built-in's hysteresis and vice versa.
    /// </summary>
    private static RuleDraft Overlay(RuleDraft draft, SettingsReader reader, string section)
    {
        var clear = reader.GetRaw(section, "clear");
        var hysteresis = reader.GetRaw(section, "hysteresis");
        if (clear is not null && hysteresis is not null)
        {
            reader.AddError(section, "hysteresis", "set clear or hysteresis, not both");
        }

        var threshold = draft.Kind == RuleKinds.Threshold;
        return draft with
        {
            Hosts = reader.GetRaw(section, "hosts") ?? draft.Hosts,
            Reporter = draft.Kind is RuleKinds.Threshold or RuleKinds.Stale ? reader.GetRaw(section, "reporter") ?? draft.Reporter : draft.Reporter,
            Condition = threshold ? reader.GetRaw(section, "condition") ?? draft.Condition : draft.Condition,
            Threshold = threshold ? reader.GetRaw(section, "threshold") ?? draft.Threshold : draft.Threshold,
            Clear = threshold ? clear ?? (hysteresis is null ? draft.Clear : null) : draft.Clear,
            Hysteresis = threshold ? hysteresis ?? (clear is null ? draft.Hysteresis : null) : draft.Hysteresis,
            For = reader.GetRaw(section, "for") ?? draft.For,
            Severity = reader.GetRaw(section, "severity") ?? draft.Severity,
            Notifiers = reader.GetRaw(section, "notifiers") ?? draft.Notifiers,
        };
    }

    /// <summary>Parses a draft into a rule. <paramref name="fileSection"/> is null for an untouched built-in.</summary>
    private static Rule Compile(RuleDraft draft, SettingsReader reader, IReadOnlyCollection<string> notifierNames, string? fileSection)
    {
        var section = fileSection ?? $"{Section}:{draft.Name}";
        var isBuiltin = BuiltinRules.All.Any(b => b.Name == draft.Name);
        var enabled = fileSection is null || reader.GetBool(section, "enabled", true);
        var description = fileSection is null ? draft.Description : reader.GetString(section, "description", draft.Description);
        var hosts = ParseHosts(draft.Hosts, reader, section);
        var reporter = ParseReporter(draft, reader, section);
        var severity = ParseSeverity(draft.Severity, reader, section);
        var notifiers = ParseNotifiers(draft.Notifiers, notifierNames, reader, section);
        var (forFrames, forDuration) = ParseFor(draft, reader, section);

        Condition? compiled = null;
        Condition? clear = null;
        Condition? relaxed = null;
        double? hysteresis = null;
        if (draft.Kind == RuleKinds.Threshold)
        {
            (compiled, clear, relaxed, hysteresis) = ParseCondition(draft, reader, section);
        }
        else
        {
            foreach (var key in new[] { "condition", "threshold", "clear", "hysteresis" }.Where(k => reader.GetRaw(section, k) is not null))
            {
                reader.AddError(section, key, draft.Kind == RuleKinds.Missing
                    ? $"not used by a rule of kind {draft.Kind} (it watches {draft.Condition})"
                    : $"not used by a rule of kind {draft.Kind} (it has no condition)");
            }

            if (draft.Kind == RuleKinds.Missing)
            {
                compiled = new Condition(FieldPath.TryParse(draft.Condition!, out _)!, CompareOp.Equal, null);
            }
        }

        var valid = !reader.Errors.Any(e => string.Equals(e.Section, section, StringComparison.OrdinalIgnoreCase));
        return new Rule
        {
            Name = draft.Name,
            Description = description,
            Source = !isBuiltin ? RuleSources.File : fileSection is null ? RuleSources.Builtin : RuleSources.BuiltinAndFile,
            Enabled = enabled,
            Active = enabled && valid && (draft.Kind != RuleKinds.Threshold || compiled?.Value is not null),
            Hosts = hosts,
            Reporter = reporter,
            Kind = draft.Kind,
            Condition = draft.Kind == RuleKinds.Missing ? compiled!.Path.Text : compiled?.Text ?? draft.Condition,
            Clear = clear?.Text,
            Hysteresis = hysteresis,
            ForFrames = forFrames,
            ForDuration = forDuration,
            Severity = severity,
            Notifiers = notifiers,
            Compiled = compiled,
            ClearCompiled = clear,
            Relaxed = relaxed,
        };
    }

    private static (Condition? Condition, Condition? Clear, Condition? Relaxed, double? Hysteresis) ParseCondition(
        RuleDraft draft, SettingsReader reader, string section)
    {
        if (draft.Condition is null)
        {
            return (null, null, null, null);
        }

        var condition = Condition.TryParse(draft.Condition, out var error);
        if (condition is null)
        {
            reader.AddError(section, "condition", error!);
            return (null, null, null, null);
        }

        if (draft.Threshold is not null)
        {
            condition = condition.WithValue(ConditionValue.Parse(draft.Threshold));
        }

        if (condition.Value is not null && Condition.CheckValue(condition.Op, condition.Value) is { } valueError)
        {
            reader.AddError(section, draft.Threshold is null ? "condition" : "threshold", valueError);
            return (null, null, null, null);
        }

        Condition? clear = null;
        if (draft.Clear is not null)
        {
            clear = Condition.TryParseClear(draft.Clear, condition, out error);
            if (clear is null)
            {
                reader.AddError(section, "clear", error!);
            }
        }

        double? hysteresis = null;
        Condition? relaxed = null;
        if (draft.Hysteresis is not null)
        {
            if (!ConditionValue.TryParseNumber(draft.Hysteresis, out var h) || h < 0)
            {
                reader.AddError(section, "hysteresis", $"'{draft.Hysteresis}' is not a number >= 0 (in the condition's unit)");
            }
            else if (!condition.IsOrdering || condition.Value is { Kind: not ValueKind.Number })
            {
                reader.AddError(section, "hysteresis", $"hysteresis needs a numeric <, <=, > or >= condition, not '{condition.Threshold}' (use clear instead)");
            }
            else
            {
                hysteresis = h;
                relaxed = condition.Value is null ? null : condition.Relaxed(h);
            }
        }

        return (condition, clear, relaxed, hysteresis);
    }

    private static IReadOnlyList<string> ParseHosts(string? raw, SettingsReader reader, string section)
    {
        if (raw is null)
        {
            return ["*"];
        }

        var globs = raw.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (globs.Length == 0 || globs.Any(g => g.Any(char.IsControl)))
        {
            reader.AddError(section, "hosts", $"'{raw}' is not a comma-separated list of host name globs (* and ? allowed)");
            return ["*"];
        }

        return globs;
    }

    private static string? ParseReporter(RuleDraft draft, SettingsReader reader, string section)
    {
        var raw = reader.GetRaw(section, "reporter");
        if (raw is null)
        {
            return draft.Reporter;
        }

        if (draft.Kind is not (RuleKinds.Threshold or RuleKinds.Stale))
        {
            reader.AddError(section, "reporter", draft.Reporter is null
                ? $"not used by a rule of kind {draft.Kind}"
                : $"fixed to {draft.Reporter} for a rule of kind {draft.Kind}");
            return draft.Reporter;
        }

        if (!ReporterName().IsMatch(raw))
        {
            reader.AddError(section, "reporter", $"'{raw}' is not a reporter name (lower-case letters, digits and '_', as in frames' reporter)");
            return draft.Reporter;
        }

        return raw;
    }

    private static Severity ParseSeverity(string raw, SettingsReader reader, string section)
    {
        var index = Array.IndexOf(Severities, raw.ToLowerInvariant());
        if (index < 0)
        {
            reader.AddError(section, "severity", $"unknown severity '{raw}' (use info, warning, error or critical)");
            return Severity.Warning;
        }

        return (Severity)index;
    }

    private static IReadOnlyList<string>? ParseNotifiers(string? raw, IReadOnlyCollection<string> known, SettingsReader reader, string section)
    {
        if (raw is null)
        {
            return null;
        }

        var names = raw.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (names.Any(n => string.Equals(n, "none", StringComparison.OrdinalIgnoreCase)))
        {
            if (names.Length > 1)
            {
                reader.AddError(section, "notifiers", "'none' (record only) cannot be combined with notifier names");
            }

            return [];
        }

        var resolved = new List<string>();
        foreach (var name in names)
        {
            var match = known.FirstOrDefault(k => string.Equals(k, name, StringComparison.OrdinalIgnoreCase));
            if (match is null)
            {
                reader.AddError(section, "notifiers", known.Count == 0
                    ? $"unknown notifier '{name}' (no notifier is configured; 'none' records only)"
                    : $"unknown notifier '{name}' (configured: {string.Join(", ", known)}; 'none' records only)");
            }
            else if (!resolved.Contains(match, StringComparer.Ordinal))
            {
                resolved.Add(match);
            }
        }

        return resolved;
    }

    private static (int Frames, TimeSpan? Duration) ParseFor(RuleDraft draft, SettingsReader reader, string section)
    {
        var raw = draft.For;
        if (raw is null)
        {
            return (0, null);
        }

        if (draft.Kind is RuleKinds.HostDown or RuleKinds.Stale or RuleKinds.External)
        {
            reader.AddError(section, "for", draft.Kind == RuleKinds.HostDown
                ? "not used by host_down: set [aggregator] down_after"
                : draft.Kind == RuleKinds.External
                    ? "not used by a rule the remediation raises: see [miner:NAME] max_reboots and [remediation] fleet_guard"
                    : "not used by a stale rule: set [aggregator] stale_factor");
            return (0, null);
        }

        if (int.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out var frames) && frames <= 1_000_000)
        {
            return (frames, null);
        }

        var match = Duration().Match(raw);
        if (match.Success && double.TryParse(match.Groups[1].Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var amount))
        {
            var seconds = amount * match.Groups[2].Value.ToLowerInvariant() switch { "s" => 1, "m" => 60, "h" => 3600, _ => 86400 };
            if (seconds <= 366 * 86400.0)
            {
                return (0, TimeSpan.FromSeconds(seconds));
            }
        }

        reader.AddError(section, "for", $"'{raw}' is neither a number of consecutive frames (3) nor a duration (30s, 5m, 1h, 1d; at most a year)");
        return (0, null);
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$")]
    private static partial Regex ValidName();

    [GeneratedRegex("^[a-z0-9_]{1,255}$")]
    private static partial Regex ReporterName();

    [GeneratedRegex(@"^([0-9]+(?:\.[0-9]+)?)\s*([smhdSMHD])$")]
    private static partial Regex Duration();
}
