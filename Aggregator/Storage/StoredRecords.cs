using System.Text.Json.Serialization;

namespace Psistats.Aggregator.Storage;

/// <summary>
/// One row of the <c>events</c> table, as <c>GET /api/events</c> serves it. Kinds: <c>UP</c>/<c>DOWN</c> (host state),
/// <c>pending</c>/<c>firing</c>/<c>resolved</c>/<c>ok</c> (alert transitions), <c>silenced</c>, and the remediation kinds.
/// </summary>
public sealed record StoredEvent
{
    /// <summary>Increasing id (SQLite AUTOINCREMENT): never reused, so <c>after=</c> pages safely across restarts.</summary>
    [JsonPropertyName("id")]
    public long Id { get; init; }

    /// <summary>When it happened, on the aggregator's clock (UTC).</summary>
    [JsonPropertyName("time")]
    public required DateTimeOffset Time { get; init; }

    /// <summary>The host (or miner) concerned.</summary>
    [JsonPropertyName("host")]
    public required string Host { get; init; }

    /// <summary>The rule, for alert events; null for UP/DOWN.</summary>
    [JsonPropertyName("rule")]
    public string? Rule { get; init; }

    /// <summary>The instance (disk, core, ASIC, mount point), "" when the rule has none.</summary>
    [JsonPropertyName("instance")]
    public string? Instance { get; init; }

    /// <summary><c>info</c>, <c>warning</c>, <c>error</c> or <c>critical</c>; null for UP.</summary>
    [JsonPropertyName("severity")]
    public string? Severity { get; init; }

    /// <summary>What happened (see the type's summary).</summary>
    [JsonPropertyName("kind")]
    public required string Kind { get; init; }

    /// <summary>The value involved, as text.</summary>
    [JsonPropertyName("value")]
    public string? Value { get; init; }

    /// <summary>The threshold as the rule states it.</summary>
    [JsonPropertyName("threshold")]
    public string? Threshold { get; init; }

    /// <summary>One plain line.</summary>
    [JsonPropertyName("message")]
    public required string Message { get; init; }

    /// <summary>Extra facts as a JSON text (durations, step outcomes), or null.</summary>
    [JsonPropertyName("details")]
    public string? Details { get; init; }
}

/// <summary>Filters of <see cref="AlertStore.Events"/> (null = any).</summary>
public sealed record EventQuery
{
    /// <summary>Host, case-insensitive.</summary>
    public string? Host { get; init; }

    /// <summary>Rule name.</summary>
    public string? Rule { get; init; }

    /// <summary>Instance.</summary>
    public string? Instance { get; init; }

    /// <summary>Severity name.</summary>
    public string? Severity { get; init; }

    /// <summary>Kind, case-insensitive.</summary>
    public string? Kind { get; init; }

    /// <summary>Events at or after this time.</summary>
    public DateTimeOffset? Since { get; init; }

    /// <summary>Events before this time.</summary>
    public DateTimeOffset? Until { get; init; }

    /// <summary>Events with a larger id.</summary>
    public long AfterId { get; init; }

    /// <summary>At most this many (the newest that match).</summary>
    public int Limit { get; init; } = 100;
}

/// <summary>A host's first/last frame and DOWN state, as the <c>hosts</c> table keeps them.</summary>
public sealed record StoredHost(string Name, DateTimeOffset FirstSeen, DateTimeOffset LastSeen, DateTimeOffset? DownSince);

/// <summary>One downtime, as <c>GET /api/downtimes</c> serves it.</summary>
public sealed record Downtime
{
    /// <summary>Row id.</summary>
    [JsonPropertyName("id")]
    public long Id { get; init; }

    /// <summary>The host.</summary>
    [JsonPropertyName("host")]
    public required string Host { get; init; }

    /// <summary>Its last frame before the silence (the downtime starts there).</summary>
    [JsonPropertyName("started_at")]
    public DateTimeOffset StartedAt { get; init; }

    /// <summary>When the aggregator declared it DOWN (started_at + down_after, give or take a check).</summary>
    [JsonPropertyName("detected_at")]
    public DateTimeOffset DetectedAt { get; init; }

    /// <summary>Its first frame after the silence; null while still down.</summary>
    [JsonPropertyName("ended_at")]
    public DateTimeOffset? EndedAt { get; init; }

    /// <summary>True while the host is still down.</summary>
    [JsonPropertyName("current")]
    public bool Current { get; init; }

    /// <summary>Seconds from started_at to ended_at (or to now while current).</summary>
    [JsonPropertyName("length_seconds")]
    public double LengthSeconds { get; init; }
}
