namespace Psistats.Aggregator.Consuming;

/// <summary>
/// Settles one channel's deliveries with fewer AMQP frames: accepted deliveries are acknowledged together by one
/// <c>basic.ack</c> with <c>multiple = true</c> (which settles every unacknowledged delivery tag up to and including the given
/// one) once <see cref="BatchSize"/> of them are pending, or at the next <see cref="FlushAsync"/> (the consumer flushes every
/// <see cref="FlushInterval"/>, and before the channel closes). A rejected delivery is settled at once by its own
/// <c>basic.nack</c>, after the pending acknowledgements, so that the broker sees the settlements in delivery order.
/// </summary>
/// <remarks>
/// Delaying an acknowledgement never loses a frame: a frame's effects are committed before <see cref="AckAsync"/> is called,
/// and a frame not yet acknowledged when the channel closes is redelivered, which the aggregator tolerates. The batch must stay
/// below the channel's prefetch (basic.qos), or the broker would stop delivering while the batch waits to fill:
/// <see cref="BatchSizeFor"/> picks a quarter of the prefetch. Calls are serialised by an async lock, so that a flush from a
/// timer and an acknowledgement from the consumer never reorder the frames they send.
/// </remarks>
/// <param name="ack">Sends <c>basic.ack(tag, multiple)</c>.</param>
/// <param name="nack">Sends <c>basic.nack(tag, multiple: false, requeue)</c>.</param>
/// <param name="batchSize">Accepted deliveries per <c>basic.ack</c>, at least 1 (1 = one by one).</param>
public sealed class AckBatcher(
    Func<ulong, bool, ValueTask> ack,
    Func<ulong, bool, ValueTask> nack,
    int batchSize) : IDisposable
{
    /// <summary>How often the consumer flushes a batch that has not filled: the longest an accepted frame waits for its ack.</summary>
    public static readonly TimeSpan FlushInterval = TimeSpan.FromMilliseconds(200);

    private readonly SemaphoreSlim _gate = new(1, 1);
    private ulong _lastTag;
    private int _pending;

    /// <summary>Accepted deliveries per <c>basic.ack</c>.</summary>
    public int BatchSize { get; } = batchSize >= 1 ? batchSize : throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, "at least 1");

    /// <summary>Accepted deliveries not yet acknowledged.</summary>
    public int Pending => Volatile.Read(ref _pending);

    /// <summary>The batch for a channel with this prefetch: a quarter of it, from 1 to 100.</summary>
    public static int BatchSizeFor(ushort prefetch) => Math.Clamp(prefetch / 4, 1, 100);

    /// <summary>Marks <paramref name="deliveryTag"/> (and, with it, every earlier accepted tag) for acknowledgement; sends the <c>basic.ack</c> when the batch is full.</summary>
    /// <exception cref="Exception">Whatever the send throws (the channel closed): the pending acknowledgements are dropped, the broker redelivers them.</exception>
    public async ValueTask AckAsync(ulong deliveryTag)
    {
        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            _lastTag = deliveryTag;
            _pending++;
            if (_pending >= BatchSize)
            {
                await SendPendingAsync().ConfigureAwait(false);
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Sends the pending acknowledgements, then <c>basic.nack</c> for <paramref name="deliveryTag"/>.</summary>
    public async ValueTask NackAsync(ulong deliveryTag, bool requeue)
    {
        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            await SendPendingAsync().ConfigureAwait(false);
            await nack(deliveryTag, requeue).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Sends the pending acknowledgements, if any, as one <c>basic.ack</c> with <c>multiple = true</c>.</summary>
    public async ValueTask FlushAsync()
    {
        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            await SendPendingAsync().ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    private async ValueTask SendPendingAsync()
    {
        if (_pending == 0)
        {
            return;
        }

        var tag = _lastTag;
        var multiple = _pending > 1;
        _pending = 0;
        await ack(tag, multiple).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public void Dispose() => _gate.Dispose();
}
