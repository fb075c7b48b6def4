using Psistats.Contracts.Frames;

namespace Psistats.Agent.Scheduling;

/// <summary>Where the scheduler hands finished frames: the publisher's outbox, or stdout in <c>--once</c> mode.</summary>
public interface IFrameSink
{
    /// <summary>Accepts a frame whose envelope is filled. Must not block.</summary>
    void Add(Frame frame);

    /// <summary>Accepts the frames of one timer tick together, so that they are published as one batch (one confirm wait).</summary>
    void AddRange(IReadOnlyList<Frame> frames)
    {
        ArgumentNullException.ThrowIfNull(frames);
        foreach (var frame in frames)
        {
            Add(frame);
        }
    }
}
