using Microsoft.Extensions.Logging;
using Psistats.Contracts.Configuration;
using Psistats.Contracts.Frames;

namespace Psistats.Agent.Publishing;

/// <summary>
/// The bounded in-memory outbox (<c>[app] outbox_size</c> frames), used when no spool_dir is set. Frames
/// leave only once the broker has confirmed them; while it is unreachable they wait here, in order. When
/// full, the oldest frame is dropped, counted and logged. Lost when the agent stops.
/// </summary>
public sealed class MemoryOutbox : IOutbox
{
    private readonly Lock _lock = new();
    private readonly LinkedList<OutgoingFrame> _frames = new();
    private readonly Doorbell _doorbell = new();
    private readonly int _capacity;
    private readonly BrokerOptions _broker;
    private readonly DropCounter _drops;
    private long _nextSequence = 1;

    /// <summary>Creates an outbox holding at most <paramref name="capacity"/> frames.</summary>
    public MemoryOutbox(int capacity, BrokerOptions broker, TimeProvider time, ILogger<MemoryOutbox> logger)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        ArgumentNullException.ThrowIfNull(broker);
        _capacity = capacity;
        _broker = broker;
        _drops = new DropCounter($"outbox full ({capacity} frames)", time, logger);
    }

    /// <inheritdoc />
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _frames.Count;
            }
        }
    }

    /// <inheritdoc />
    public long Dropped => _drops.Dropped;

    /// <inheritdoc />
    public void Add(Frame frame) => AddRange([frame]);

    /// <inheritdoc />
    public void AddRange(IReadOnlyList<Frame> frames)
    {
        ArgumentNullException.ThrowIfNull(frames);
        var dropped = 0;
        lock (_lock)
        {
            foreach (var frame in frames)
            {
                _frames.AddLast(OutgoingFrame.Create(frame, _nextSequence++, _broker.Prefix));
                if (_frames.Count > _capacity)
                {
                    _frames.RemoveFirst();
                    dropped++;
                }
            }
        }

        _doorbell.Ring();
        if (dropped > 0)
        {
            _drops.Add(dropped);
        }
    }

    /// <inheritdoc />
    public IReadOnlyList<OutgoingFrame> Peek(int max)
    {
        lock (_lock)
        {
            return _frames.Take(max).ToList();
        }
    }

    /// <inheritdoc />
    public void RemoveThrough(long sequence)
    {
        lock (_lock)
        {
            while (_frames.First is { } first && first.Value.Sequence <= sequence)
            {
                _frames.RemoveFirst();
            }
        }
    }

    /// <inheritdoc />
    public Task WaitForFramesAsync(CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return _doorbell.WaitAsync(_frames.Count > 0, cancellationToken);
        }
    }
}
