using System.Text.Json.Serialization;
using Psistats.Aggregator.Notifications;
using Psistats.Aggregator.Rules;
using Psistats.Aggregator.Storage;

namespace Psistats.Aggregator.Web;

/// <summary>One pending or firing alert as <c>GET /api/alerts</c> serves it.</summary>
public sealed record AlertView
{
    /// <summary>The rule's name.</summary>
    [JsonPropertyName("rule")]
    public required string Rule { get; init; }

    /// <summary>The host.</summary>
    [JsonPropertyName("host")]
    public required string Host { get; init; }

    /// <summary>The instance (disk, core, ASIC, mount point), "" when the rule has none.</summary>
    [JsonPropertyName("instance")]
    public required string Instance { get; init; }

    /// <summary>info, warning, error or critical.</summary>
    [JsonPropertyName("severity")]
    public required string Severity { get; init; }

    /// <summary>pending or firing.</summary>
    [JsonPropertyName("state")]
    public required string State { get; init; }

    /// <summary>When the condition started to hold.</summary>
    [JsonPropertyName("pending_since")]
    public DateTimeOffset PendingSince { get; init; }

    /// <summary>When it fired; null while pending.</summary>
    [JsonPropertyName("firing_since")]
    public DateTimeOffset? FiringSince { get; init; }

    /// <summary>Seconds since it fired (or since pending).</summary>
    [JsonPropertyName("age_seconds")]
    public double AgeSeconds { get; init; }

    /// <summary>The last matching value, as text.</summary>
    [JsonPropertyName("value")]
    public string? Value { get; init; }

    /// <summary>The threshold as the rule states it.</summary>
    [JsonPropertyName("threshold")]
    public string? Threshold { get; init; }

    /// <summary>One line for people.</summary>
    [JsonPropertyName("summary")]
    public required string Summary { get; init; }

    /// <summary>The id of the silence that holds its notifications, or null.</summary>
    [JsonPropertyName("silenced_by")]
    public long? SilencedBy { get; init; }

    /// <summary>The view of <paramref name="alert"/> at <paramref name="now"/>.</summary>
    public static AlertView Of(ActiveAlert alert, Silence? silence, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(alert);
        return new AlertView
        {
            Rule = alert.Key.Rule,
            Host = alert.Key.Host,
            Instance = alert.Key.Instance,
            Severity = AlertStore.SeverityName(alert.Severity),
            State = alert.State == AlertState.Firing ? "firing" : "pending",
            PendingSince = alert.PendingSince,
            FiringSince = alert.FiringSince,
            AgeSeconds = Math.Round(Math.Max(0, (now - (alert.FiringSince ?? alert.PendingSince)).TotalSeconds), 3),
            Value = alert.Value,
            Threshold = alert.Threshold,
            Summary = alert.Summary,
            SilencedBy = silence?.Id,
        };
    }
}
