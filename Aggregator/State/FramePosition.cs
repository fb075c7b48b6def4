namespace Psistats.Aggregator.State;

/// <summary>
/// Where a frame stands among the frames of its host and reporter: its <c>seq</c> (the agent's frame number) and its
/// <c>timestamp</c> (Unix seconds, agent's clock). Used to apply each frame at most once: a frame is a replay of one already
/// applied when BOTH are at or below the applied frame's (<see cref="IsAtOrBelow"/>). Requiring both keeps new frames coming
/// when one of them alone goes back: <c>seq</c> restarts at 1 when an agent without a spool restarts, and the timestamp goes
/// back when the agent's clock is stepped.
/// </summary>
/// <param name="Seq">JSON <c>seq</c>, at least 1.</param>
/// <param name="Timestamp">JSON <c>timestamp</c>, Unix seconds.</param>
public readonly record struct FramePosition(long Seq, double Timestamp)
{
    /// <summary>The position of a frame with a <c>seq</c> of at least 1 and a timestamp; null for frames not numbered (0 or absent).</summary>
    public static FramePosition? Of(long? seq, double? timestamp) =>
        seq is >= 1 && timestamp is { } t ? new FramePosition(seq.Value, t) : null;

    /// <summary>True when this frame is at or below <paramref name="applied"/> by both <c>seq</c> and timestamp: a replay.</summary>
    public bool IsAtOrBelow(FramePosition applied) => Seq <= applied.Seq && Timestamp <= applied.Timestamp;
}
