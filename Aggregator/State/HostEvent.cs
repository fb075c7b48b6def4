namespace Psistats.Aggregator.State;

/// <summary>A host's state change as <see cref="HostStateStore"/> raises it; stored as an event (and a downtime) by the caller.</summary>
/// <param name="Time">When the aggregator saw the change (its own clock), UTC.</param>
/// <param name="Host">The host's name.</param>
/// <param name="Kind"><c>UP</c> (first frame, or first frame after DOWN), <c>DOWN</c> (silent for down_after) or <c>FORGOTTEN</c>.</param>
/// <param name="Message">Plain-text description.</param>
/// <param name="DowntimeSeconds">On UP after DOWN: seconds between the last frame before and the first frame after the silence.</param>
/// <param name="LastSeen">The host's last frame before this change (for DOWN: where the downtime starts).</param>
public sealed record HostEvent(DateTimeOffset Time, string Host, string Kind, string Message, double? DowntimeSeconds, DateTimeOffset LastSeen);

/// <summary>Event kinds.</summary>
public static class HostEventKinds
{
    /// <summary>A host was seen for the first time, or again after DOWN.</summary>
    public const string Up = "UP";

    /// <summary>A host sent nothing for down_after seconds.</summary>
    public const string Down = "DOWN";

    /// <summary>A host DOWN for longer than forget_after was forgotten (its downtime stays open: it never came back).</summary>
    public const string Forgotten = "FORGOTTEN";
}
