using Psistats.Aggregator.Rules;
using Psistats.Aggregator.Storage;
using Psistats.Contracts.Configuration;

namespace Psistats.Aggregator.Notifications;

/// <summary>
/// One <c>[webhook:NAME]</c> section of psistats.ini: a JSON POST per notification to <see cref="Url"/> (chat bridges, SMS
/// gateways, the modern replacement for MobileMiner). NAME is the notifier's name in a rule's <c>notifiers</c>.
/// </summary>
public sealed record WebhookOptions
{
    /// <summary>The parent section of every webhook.</summary>
    public const string Section = "webhook";

    /// <summary>Keys of a <c>[webhook:NAME]</c> section.</summary>
    public static readonly string[] Keys = ["url", "timeout", "min_severity", "enabled"];

    /// <summary>NAME, from the section name.</summary>
    public required string Name { get; init; }

    /// <summary><c>url</c>: the http:// or https:// endpoint (required).</summary>
    public required Uri Url { get; init; }

    /// <summary><c>timeout</c>: bound of one POST, connect to the end of the response, default 10 s.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary><c>min_severity</c>: notifications below this severity are not posted, default info (all).</summary>
    public Severity MinSeverity { get; init; } = Severity.Info;

    /// <summary><c>enabled</c>: default yes.</summary>
    public bool Enabled { get; init; } = true;

    /// <summary>Reads and validates every <c>[webhook:NAME]</c> section; problems go to <paramref name="reader"/> as <c>[webhook:NAME] key: ...</c>.</summary>
    public static IReadOnlyList<WebhookOptions> ReadAll(SettingsReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var hooks = new List<WebhookOptions>();
        foreach (var child in reader.Configuration.GetSection(Section).GetChildren())
        {
            if (child.Value is not null)
            {
                reader.AddError(Section, child.Key, "webhook settings go in a [webhook:NAME] section, one per webhook");
                continue;
            }

            if (string.Equals(child.Key, EmailOptions.Section, StringComparison.OrdinalIgnoreCase))
            {
                reader.AddError($"{Section}:{child.Key}", "url", "'email' is the email notifier's name: choose another webhook name");
                continue;
            }

            hooks.Add(Read(reader, child.Key));
        }

        return hooks;
    }

    private static WebhookOptions Read(SettingsReader reader, string name)
    {
        var section = $"{Section}:{name}";
        reader.CheckUnknownKeys(section, Keys);
        var url = new Uri("http://invalid.invalid/");
        if (reader.GetRaw(section, "url") is not { } raw)
        {
            reader.AddError(section, "url", "required: the http:// or https:// URL to POST to");
        }
        else if (Uri.TryCreate(raw, UriKind.Absolute, out var parsed) && parsed.Scheme is "http" or "https")
        {
            url = parsed;
        }
        else
        {
            reader.AddError(section, "url", $"'{raw}' is not an http:// or https:// URL");
        }

        var minSeverity = reader.GetChoice(section, "min_severity", "info", "info", "warning", "error", "critical");
        return new WebhookOptions
        {
            Name = name,
            Url = url,
            Timeout = reader.GetSeconds(section, "timeout", 10, 0.1, 600),
            MinSeverity = AlertStore.ParseSeverity(minSeverity),
            Enabled = reader.GetBool(section, "enabled", true),
        };
    }
}
