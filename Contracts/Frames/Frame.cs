using System.Text.Json.Serialization;

namespace Psistats.Contracts.Frames;

/// <summary>
/// The envelope every frame carries, wire format v1 (docs/wire-format.md).
/// A frame is one JSON object: the envelope fields first, then the reporter's values at top level.
/// </summary>
public abstract record Frame
{
    /// <summary>The host's real name (not the routing-key form). JSON <c>hostname</c>.</summary>
    [JsonPropertyName("hostname")]
    [JsonPropertyOrder(-10)]
    public string Hostname { get; init; } = "";

    /// <summary>The reporter that produced the frame, e.g. <c>cpu</c>. JSON <c>reporter</c>; also the AMQP <c>type</c> property and the last routing-key word.</summary>
    [JsonPropertyName("reporter")]
    [JsonPropertyOrder(-9)]
    public string Reporter => ReporterName;

    /// <summary>The reporter name each frame type fixes.</summary>
    protected abstract string ReporterName { get; }

    /// <summary>When the values were read, Unix seconds with millisecond fraction, by the agent's clock. JSON <c>timestamp</c>.</summary>
    [JsonPropertyName("timestamp")]
    [JsonPropertyOrder(-8)]
    public double Timestamp { get; init; }

    /// <summary>The reporter's configured interval in seconds, so that a consumer can judge staleness. JSON <c>interval</c>.</summary>
    [JsonPropertyName("interval")]
    [JsonPropertyOrder(-7)]
    public double Interval { get; init; }

    /// <summary>
    /// Position of this frame among all frames the agent published since it started, from 1. A consumer that
    /// sees a gap knows frames were dropped (outbox full); a smaller number means the agent restarted. JSON <c>seq</c>.
    /// </summary>
    [JsonPropertyName("seq")]
    [JsonPropertyOrder(-6)]
    public long Seq { get; init; }

    /// <summary>Converts a time to the wire's Unix seconds, rounded to milliseconds.</summary>
    public static double ToUnixSeconds(DateTimeOffset time) => Math.Round(time.ToUnixTimeMilliseconds() / 1000.0, 3);
}
