using Psistats.Agent.Scheduling;

namespace Psistats.Agent.Publishing;

/// <summary>
/// The queue between the reporters and the broker: frames wait here, in order, until the broker confirms
/// them. <see cref="MemoryOutbox"/> keeps them in memory; <see cref="SpoolOutbox"/> on disk
/// (<c>[app] spool_dir</c>), so they also survive a restart. Thread-safe.
/// </summary>
public interface IOutbox : IFrameSink
{
    /// <summary>Frames waiting for a confirm.</summary>
    int Count { get; }

    /// <summary>Frames dropped because the bound was reached, since start.</summary>
    long Dropped { get; }

    /// <summary>Up to <paramref name="max"/> of the oldest waiting frames, left in place.</summary>
    IReadOnlyList<OutgoingFrame> Peek(int max);

    /// <summary>Removes every frame whose sequence is at most <paramref name="sequence"/>: the broker confirmed them.</summary>
    void RemoveThrough(long sequence);

    /// <summary>Completes when at least one frame is waiting.</summary>
    Task WaitForFramesAsync(CancellationToken cancellationToken);
}
