using Microsoft.Extensions.Logging;

namespace Psistats.Agent.Publishing;

/// <summary>Counts frames an outbox dropped at its bound and logs them at most once a minute, with the running count.</summary>
public sealed class DropCounter(string what, TimeProvider time, ILogger logger)
{
    private static readonly TimeSpan LogInterval = TimeSpan.FromMinutes(1);

    private long _dropped;
    private long _lastLogTicks = long.MinValue;

    /// <summary>Frames dropped since start.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Counts <paramref name="count"/> dropped frames (the oldest ones) and logs if the last log is a minute old.</summary>
    public void Add(long count)
    {
        var total = Interlocked.Add(ref _dropped, count);
        var now = time.GetUtcNow().UtcTicks;
        var last = Interlocked.Read(ref _lastLogTicks);
        if ((last == long.MinValue || now - last >= LogInterval.Ticks) && Interlocked.CompareExchange(ref _lastLogTicks, now, last) == last)
        {
            Log.OutboxDropped(logger, what, total);
        }
    }
}
