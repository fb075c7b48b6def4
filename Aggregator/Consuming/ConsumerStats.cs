using System.Collections.Concurrent;
using Psistats.Contracts.Frames;

namespace Psistats.Aggregator.Consuming;

/// <summary>Counters of the consumer, served by <c>/healthz</c>. Thread-safe.</summary>
public sealed class ConsumerStats
{
    private readonly ConcurrentDictionary<string, long> _rejected = new(StringComparer.Ordinal);
    private long _accepted;
    private long _replayed;
    private volatile bool _connected;
    private volatile bool _connectedOnce;

    /// <summary>True while the consumer's channel is open and consuming.</summary>
    public bool Connected
    {
        get => _connected;
        set
        {
            _connected = value;
            if (value)
            {
                _connectedOnce = true;
            }
        }
    }

    /// <summary>True once the consumer has consumed at all since the aggregator started.</summary>
    public bool ConnectedOnce => _connectedOnce;

    /// <summary>Why the last connection attempt failed or the connection was lost; null while connected.</summary>
    public string? LastBrokerError { get; set; }

    /// <summary>Frames accepted since start.</summary>
    public long Accepted => Interlocked.Read(ref _accepted);

    /// <summary>Frames rejected to the dead-letter exchange since start, by reason (snake_case of <see cref="FrameRejection"/>, or <c>internal_error</c>).</summary>
    public IReadOnlyDictionary<string, long> Rejected => new SortedDictionary<string, long>(_rejected, StringComparer.Ordinal);

    /// <summary>Frames skipped since start as replays of frames already applied (acknowledged, not dead-lettered).</summary>
    public long Replayed => Interlocked.Read(ref _replayed);

    /// <summary>Counts a frame skipped as a replay.</summary>
    public void CountReplayed() => Interlocked.Increment(ref _replayed);

    /// <summary>Counts an accepted frame.</summary>
    public void CountAccepted() => Interlocked.Increment(ref _accepted);

    /// <summary>Counts a rejected frame; returns the new count for that reason.</summary>
    public long CountRejected(string reason) => _rejected.AddOrUpdate(reason, 1, (_, n) => n + 1);

    /// <summary>The wire name of a rejection reason, e.g. <c>invalid_json</c>.</summary>
    public static string ReasonName(FrameRejection rejection) => rejection switch
    {
        FrameRejection.TooLarge => "too_large",
        FrameRejection.InvalidJson => "invalid_json",
        FrameRejection.NotAnObject => "not_an_object",
        FrameRejection.MissingHostname => "missing_hostname",
        FrameRejection.MissingReporter => "missing_reporter",
        FrameRejection.OutOfRange => "out_of_range",
        FrameRejection.InvalidText => "invalid_text",
        FrameRejection.TooManyHosts => "too_many_hosts",
        _ => "none",
    };
}
