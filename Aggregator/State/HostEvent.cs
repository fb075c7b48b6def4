using System.Text.Json.Serialization;

namespace Psistats.Aggregator.State;

/// <summary>A host's state change, as served by <c>GET /api/events</c>.</summary>
/// <param name="Id">Increasing from 1 since the aggregator started.</param>
/// <param name="Time">When the aggregator saw the change (its own clock), UTC.</param>
/// <param name="Host">The host's name.</param>
/// <param name="Kind"><c>UP</c> (first frame, or first frame after DOWN) or <c>DOWN</c> (silent for down_after).</param>
/// <param name="Message">Plain-text description.</param>
/// <param name="DowntimeSeconds">On UP after DOWN: seconds between the last frame before and the first frame after the silence.</param>
public sealed record HostEvent(
    [property: JsonPropertyName("id")] long Id,
    [property: JsonPropertyName("time")] DateTimeOffset Time,
    [property: JsonPropertyName("host")] string Host,
    [property: JsonPropertyName("kind")] string Kind,
    [property: JsonPropertyName("message")] string Message,
    [property: JsonPropertyName("downtime_seconds")] double? DowntimeSeconds);

/// <summary>Event kinds.</summary>
public static class HostEventKinds
{
    /// <summary>A host was seen for the first time, or again after DOWN.</summary>
    public const string Up = "UP";

    /// <summary>A host sent nothing for down_after seconds.</summary>
    public const string Down = "DOWN";
}
