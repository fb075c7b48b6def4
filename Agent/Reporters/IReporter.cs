using Psistats.Contracts.Frames;

namespace Psistats.Agent.Reporters;

/// <summary>
/// The contract every reporter follows: a name (its ini section and the frame's <c>reporter</c>),
/// and a <see cref="Read"/> that returns values, "warming up" for rates that need a second sample,
/// or "no data on this host" (not an error). A reporter throws only for real failures; the scheduler
/// counts and logs them and keeps the other reporters running.
/// </summary>
public interface IReporter
{
    /// <summary>Reporter name, e.g. <c>cpu</c>.</summary>
    string Name { get; }

    /// <summary>Reads the host once. The returned frame's envelope (hostname, timestamp, interval) is filled by the caller.</summary>
    /// <exception cref="IOException">When a kernel file cannot be read.</exception>
    /// <exception cref="FormatException">When a kernel file does not have the expected shape.</exception>
    ReporterReading Read();
}

/// <summary>What one <see cref="IReporter.Read"/> produced.</summary>
public enum ReadingStatus
{
    /// <summary>Values read; the frame is published.</summary>
    Ok,

    /// <summary>A rate needs another sample; nothing is published yet.</summary>
    Warming,

    /// <summary>The host has nothing to report here (e.g. no CPU sensor). A frame may still be published with null values.</summary>
    NoData,

    /// <summary>
    /// The source did not answer, or answered with an error (a miner's API: <see cref="IAsyncReporter"/>). The frame, which
    /// says so, is still published; the reading counts as a failure and is logged once per change of state.
    /// </summary>
    Failed,
}

/// <summary>One reading: a status, the frame to publish (if any) and a human-readable detail.</summary>
public sealed record ReporterReading(ReadingStatus Status, Frame? Frame, string? Detail)
{
    /// <summary>Values were read.</summary>
    public static ReporterReading Ok(Frame frame) => new(ReadingStatus.Ok, frame, null);

    /// <summary>First sample of a rate taken; publish nothing yet.</summary>
    public static ReporterReading Warming(string detail) => new(ReadingStatus.Warming, null, detail);

    /// <summary>Nothing to report on this host; <paramref name="frame"/> (null values) is still published when given.</summary>
    public static ReporterReading NoData(string detail, Frame? frame = null) => new(ReadingStatus.NoData, frame, detail);

    /// <summary>The source failed (<paramref name="detail"/> says how); <paramref name="frame"/> describes the failure and is published.</summary>
    public static ReporterReading Failed(string detail, Frame frame) => new(ReadingStatus.Failed, frame, detail);
}
