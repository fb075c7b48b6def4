namespace Psistats.Agent.Scheduling;

/// <summary>The state a reporter is in after its last reading.</summary>
public enum ReporterState
{
    /// <summary>Not run yet.</summary>
    Starting,

    /// <summary>Last reading produced values (or took a rate's first sample).</summary>
    Ok,

    /// <summary>Last reading found nothing to report on this host.</summary>
    NoData,

    /// <summary>Last reading threw, or its source (a miner's API) did not answer or answered with an error.</summary>
    Failed,
}

/// <summary>Counters and state of one reporter, updated by its loop only (readers see a consistent-enough snapshot).</summary>
public sealed class ReporterHealth(string name)
{
    private long _frames;
    private long _noData;
    private long _failures;

    /// <summary>Reporter name.</summary>
    public string Name => name;

    /// <summary>State after the last reading.</summary>
    public ReporterState State { get; private set; } = ReporterState.Starting;

    /// <summary>Frames handed to the sink.</summary>
    public long Frames => Interlocked.Read(ref _frames);

    /// <summary>Readings that found no data.</summary>
    public long NoDataReadings => Interlocked.Read(ref _noData);

    /// <summary>Readings that threw or whose source failed.</summary>
    public long Failures => Interlocked.Read(ref _failures);

    /// <summary>Records the outcome of one reading; returns true when the state changed (the caller logs only then).</summary>
    public bool Record(ReporterState state, bool producedFrame)
    {
        if (producedFrame)
        {
            Interlocked.Increment(ref _frames);
        }

        if (state == ReporterState.NoData)
        {
            Interlocked.Increment(ref _noData);
        }
        else if (state == ReporterState.Failed)
        {
            Interlocked.Increment(ref _failures);
        }

        var changed = state != State;
        State = state;
        return changed;
    }
}
