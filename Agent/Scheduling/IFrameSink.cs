using Psistats.Contracts.Frames;

namespace Psistats.Agent.Scheduling;

/// <summary>Where the scheduler hands finished frames: the publisher's outbox, or stdout in <c>--once</c> mode.</summary>
public interface IFrameSink
{
    /// <summary>Accepts a frame whose envelope is filled. Must not block.</summary>
    void Add(Frame frame);
}
