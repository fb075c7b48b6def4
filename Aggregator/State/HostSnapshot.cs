using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Psistats.Aggregator.State;

/// <summary>One host as served by <c>GET /api/hosts</c>. Times are the aggregator's receive times (UTC), never the agent's clock.</summary>
public sealed record HostSnapshot
{
    /// <summary>The host's name as its frames carry it.</summary>
    [JsonPropertyName("hostname")]
    public required string Hostname { get; init; }

    /// <summary><c>up</c> or <c>down</c>.</summary>
    [JsonPropertyName("state")]
    public required string State { get; init; }

    /// <summary>First frame received from this host.</summary>
    [JsonPropertyName("first_seen")]
    public required DateTimeOffset FirstSeen { get; init; }

    /// <summary>Last frame received from this host.</summary>
    [JsonPropertyName("last_seen")]
    public required DateTimeOffset LastSeen { get; init; }

    /// <summary>Seconds since <see cref="LastSeen"/>.</summary>
    [JsonPropertyName("last_seen_age_seconds")]
    public required double LastSeenAgeSeconds { get; init; }

    /// <summary>When the host was declared DOWN, or null while up.</summary>
    [JsonPropertyName("down_since")]
    public DateTimeOffset? DownSince { get; init; }

    /// <summary>The latest value of every field of every reporter's last frame (envelope fields left out), e.g. <c>cpu</c>, <c>mem</c>, <c>uptime</c>.</summary>
    [JsonPropertyName("values")]
    public required JsonObject Values { get; init; }

    /// <summary>Per reporter: its last frame and how fresh it is.</summary>
    [JsonPropertyName("reporters")]
    public required IReadOnlyDictionary<string, ReporterSnapshot> Reporters { get; init; }
}

/// <summary>The last frame of one reporter of one host.</summary>
public sealed record ReporterSnapshot
{
    /// <summary>When the aggregator received it.</summary>
    [JsonPropertyName("received_at")]
    public required DateTimeOffset ReceivedAt { get; init; }

    /// <summary>Seconds since <see cref="ReceivedAt"/>.</summary>
    [JsonPropertyName("age_seconds")]
    public required double AgeSeconds { get; init; }

    /// <summary>The reporter's interval from the frame, seconds, or null if the frame had none.</summary>
    [JsonPropertyName("interval")]
    public double? Interval { get; init; }

    /// <summary>True when older than stale_factor intervals (or, with no interval, than down_after).</summary>
    [JsonPropertyName("stale")]
    public required bool Stale { get; init; }

    /// <summary>Receive time minus the frame's own timestamp, seconds: transit delay plus the agent's clock error.</summary>
    [JsonPropertyName("clock_offset_seconds")]
    public double? ClockOffsetSeconds { get; init; }

    /// <summary>The frame as received.</summary>
    [JsonPropertyName("frame")]
    public required JsonNode Frame { get; init; }
}
