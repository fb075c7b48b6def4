using Microsoft.Extensions.Logging;
using Psistats.Agent.Scheduling;
using Psistats.Contracts.Configuration;
using Psistats.Contracts.Frames;
using Psistats.Contracts.Topology;

namespace Psistats.Agent.Publishing;

/// <summary>A frame ready to publish: its routing key, AMQP properties' values and body.</summary>
/// <param name="Sequence">The frame's <c>seq</c>: increasing from 1; frames are published in this order.</param>
/// <param name="RoutingKey"><c>&lt;prefix&gt;.&lt;host&gt;.&lt;reporter&gt;</c>.</param>
/// <param name="Reporter">AMQP <c>type</c> property.</param>
/// <param name="MessageId">AMQP <c>message_id</c>: a UUIDv7, unique per frame, stable across re-sends.</param>
/// <param name="Timestamp">AMQP <c>timestamp</c>, Unix seconds.</param>
/// <param name="Body">UTF-8 JSON.</param>
public sealed record OutgoingFrame(long Sequence, string RoutingKey, string Reporter, string MessageId, long Timestamp, ReadOnlyMemory<byte> Body);

/// <summary>
/// The bounded in-memory queue between the reporters and the broker. Frames leave it only once the
/// broker has confirmed them; while the broker is unreachable they wait here, in order. When full, the
/// oldest frame is dropped, counted and logged (at most once a minute, with the running count).
/// Thread-safe.
/// </summary>
public sealed class Outbox : IFrameSink
{
    private static readonly TimeSpan DropLogInterval = TimeSpan.FromMinutes(1);

    private readonly Lock _lock = new();
    private readonly LinkedList<OutgoingFrame> _frames = new();
    private readonly int _capacity;
    private readonly BrokerOptions _broker;
    private readonly TimeProvider _time;
    private readonly ILogger<Outbox> _logger;
    private TaskCompletionSource _available = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _nextSequence = 1;
    private long _dropped;
    private long _enqueued;
    private DateTimeOffset _lastDropLog = DateTimeOffset.MinValue;

    /// <summary>Creates an outbox holding at most <paramref name="capacity"/> frames.</summary>
    public Outbox(int capacity, BrokerOptions broker, TimeProvider time, ILogger<Outbox> logger)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _capacity = capacity;
        _broker = broker;
        _time = time;
        _logger = logger;
    }

    /// <summary>Frames waiting.</summary>
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

    /// <summary>Frames dropped because the outbox was full, since start.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Frames accepted, since start.</summary>
    public long Enqueued => Interlocked.Read(ref _enqueued);

    /// <inheritdoc />
    public void Add(Frame frame)
    {
        ArgumentNullException.ThrowIfNull(frame);
        var routingKey = RoutingKeys.ForFrame(_broker.Prefix, frame.Hostname, frame.Reporter);
        var stamp = (long)Math.Floor(frame.Timestamp);
        var logDrop = false;
        long dropped = 0;
        TaskCompletionSource toSignal;
        lock (_lock)
        {
            var sequence = _nextSequence++;
            var body = FrameSerializer.ToUtf8(frame with { Seq = sequence });
            _frames.AddLast(new OutgoingFrame(sequence, routingKey, frame.Reporter, Guid.CreateVersion7().ToString(), stamp, body));
            if (_frames.Count > _capacity)
            {
                _frames.RemoveFirst();
                dropped = Interlocked.Increment(ref _dropped);
                var now = _time.GetUtcNow();
                if (now - _lastDropLog >= DropLogInterval)
                {
                    _lastDropLog = now;
                    logDrop = true;
                }
            }

            toSignal = _available;
        }

        Interlocked.Increment(ref _enqueued);
        toSignal.TrySetResult();
        if (logDrop)
        {
            Log.OutboxDropped(_logger, _capacity, dropped);
        }
    }

    /// <summary>Up to <paramref name="max"/> of the oldest frames, left in the outbox.</summary>
    public IReadOnlyList<OutgoingFrame> Peek(int max)
    {
        lock (_lock)
        {
            return _frames.Take(max).ToList();
        }
    }

    /// <summary>Removes every frame whose sequence is at most <paramref name="sequence"/> (the broker confirmed them).</summary>
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

    /// <summary>Completes when at least one frame is waiting.</summary>
    public Task WaitForFramesAsync(CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (_frames.Count > 0)
            {
                return Task.CompletedTask;
            }

            if (_available.Task.IsCompleted)
            {
                _available = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }

            return _available.Task.WaitAsync(cancellationToken);
        }
    }
}
