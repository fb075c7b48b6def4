using System.Globalization;
using System.IO.Enumeration;
using System.Text.Json.Serialization;
using Psistats.Aggregator.Rules;
using Psistats.Contracts.Configuration;

namespace Psistats.Aggregator.Notifications;

/// <summary>
/// What a silence mutes and until when (Alertmanager's silence, Sensu's silenced entry with <c>expire_on_resolve</c>): the
/// alerts whose host, rule and instance match the globs (<c>*</c> any run, <c>?</c> one character, case-insensitive). A
/// silenced alert is recorded in the events but not sent. The body of <c>POST /api/silences</c>, and one <c>[silence:NAME]</c>
/// section of psistats.ini.
/// </summary>
public sealed record SilenceSpec
{
    /// <summary>The parent section of every file silence.</summary>
    public const string Section = "silence";

    /// <summary>Keys of a <c>[silence:NAME]</c> section.</summary>
    public static readonly string[] Keys = ["host", "rule", "instance", "until", "until_resolved", "comment"];

    /// <summary>NAME of a <c>[silence:NAME]</c> section; null for a silence set through the API.</summary>
    [JsonPropertyName("name")]
    public string? Name { get; init; }

    /// <summary>Host glob, default <c>*</c>.</summary>
    [JsonPropertyName("host")]
    public string Host { get; init; } = "*";

    /// <summary>Rule glob, default <c>*</c>.</summary>
    [JsonPropertyName("rule")]
    public string Rule { get; init; } = "*";

    /// <summary>Instance glob, default <c>*</c> (also matches alerts without an instance).</summary>
    [JsonPropertyName("instance")]
    public string Instance { get; init; } = "*";

    /// <summary>
    /// The silence ends at this time (ISO-8601 with its offset, <c>2026-03-01T18:00:00Z</c>; in psistats.ini a time without offset
    /// is UTC); null: only <see cref="UntilResolved"/> ends it.
    /// </summary>
    [JsonPropertyName("until")]
    public DateTimeOffset? Until { get; init; }

    /// <summary>The silence ends once the alerts it matches have resolved (the first resolve after which none it matches is still firing).</summary>
    [JsonPropertyName("until_resolved")]
    public bool UntilResolved { get; init; }

    /// <summary>Why, for people.</summary>
    [JsonPropertyName("comment")]
    public string? Comment { get; init; }

    /// <summary>Whether the globs match <paramref name="key"/>.</summary>
    public bool Matches(AlertKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return Glob(Host, key.Host) && Glob(Rule, key.Rule) && Glob(Instance, key.Instance);
    }

    /// <summary>Null when the silence can be set at <paramref name="now"/>, else what is wrong with it.</summary>
    public string? Problem(DateTimeOffset now)
    {
        if (Until is null && !UntilResolved)
        {
            return "a silence needs an end: until (an ISO-8601 time) or until_resolved";
        }

        if (Until is { } until && until <= now)
        {
            return $"until {MessageText.IsoTime(until)} is not in the future";
        }

        return new[] { Host, Rule, Instance }.Any(g => g.Length == 0 || g.Any(char.IsControl))
            ? "host, rule and instance must be non-empty globs without control characters"
            : null;
    }

    /// <summary>
    /// Reads every <c>[silence:NAME]</c> section; problems go to <paramref name="reader"/> as <c>[silence:NAME] key: ...</c>
    /// (an <c>until</c> in the past is not one: that silence has simply ended).
    /// </summary>
    public static IReadOnlyList<SilenceSpec> ReadAll(SettingsReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var silences = new List<SilenceSpec>();
        foreach (var child in reader.Configuration.GetSection(Section).GetChildren())
        {
            if (child.Value is not null)
            {
                reader.AddError(Section, child.Key, "silence settings go in a [silence:NAME] section, one per silence");
                continue;
            }

            var section = $"{Section}:{child.Key}";
            reader.CheckUnknownKeys(section, Keys);
            DateTimeOffset? until = null;
            if (reader.GetRaw(section, "until") is { } raw)
            {
                if (DateTimeOffset.TryParse(raw, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed))
                {
                    until = parsed;
                }
                else
                {
                    reader.AddError(section, "until", $"'{raw}' is not an ISO-8601 time (e.g. 2026-03-01T18:00:00Z)");
                }
            }

            var spec = new SilenceSpec
            {
                Name = child.Key,
                Host = reader.GetString(section, "host", "*"),
                Rule = reader.GetString(section, "rule", "*"),
                Instance = reader.GetString(section, "instance", "*"),
                Until = until,
                UntilResolved = reader.GetBool(section, "until_resolved", false),
                Comment = reader.GetRaw(section, "comment"),
            };
            if (reader.GetRaw(section, "until") is null && !spec.UntilResolved)
            {
                reader.AddError(section, "until", "a silence needs an end: until (an ISO-8601 time) or until_resolved = yes");
            }

            foreach (var (key, glob) in new[] { ("host", spec.Host), ("rule", spec.Rule), ("instance", spec.Instance) })
            {
                if (glob.Any(char.IsControl))
                {
                    reader.AddError(section, key, "a glob cannot hold control characters");
                }
            }

            silences.Add(spec);
        }

        return silences;
    }

    /// <summary>FileSystemName's simple expression (<c>*</c>, <c>?</c>), except that it never matches an empty name: here <c>*</c> does.</summary>
    private static bool Glob(string pattern, string value) =>
        value.Length == 0 ? pattern.Trim('*').Length == 0 : FileSystemName.MatchesSimpleExpression(pattern, value, ignoreCase: true);
}

/// <summary>A silence as stored (table <c>silences</c>) and listed by <c>GET /api/silences</c>.</summary>
public sealed record Silence
{
    /// <summary>Its id (for <c>DELETE /api/silences/{id}</c>).</summary>
    [JsonPropertyName("id")]
    public required long Id { get; init; }

    /// <summary>What it matches and until when.</summary>
    [JsonPropertyName("spec")]
    public required SilenceSpec Spec { get; init; }

    /// <summary>When it was set.</summary>
    [JsonPropertyName("created_at")]
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>Who set it: <c>file</c> for a <c>[silence:NAME]</c> section, else what the API caller gave.</summary>
    [JsonPropertyName("created_by")]
    public string? CreatedBy { get; init; }

    /// <summary>When it ended (expired, resolved, removed); null while active.</summary>
    [JsonPropertyName("ended_at")]
    public DateTimeOffset? EndedAt { get; init; }

    /// <summary><c>expired</c>, <c>resolved</c>, <c>removed</c> or <c>replaced</c>; null while active.</summary>
    [JsonPropertyName("end_reason")]
    public string? EndReason { get; init; }

    /// <summary>Whether it mutes alerts at <paramref name="now"/>.</summary>
    public bool IsActive(DateTimeOffset now) => EndedAt is null && (Spec.Until is not { } until || until > now);
}
