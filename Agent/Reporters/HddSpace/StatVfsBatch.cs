namespace Psistats.Agent.Reporters.HddSpace;

/// <summary>
/// statvfs of several paths, one after the other, on a thread of its own: a call that never returns (a mount whose
/// server is gone) then blocks neither the reporter beyond its timeout nor a thread-pool thread.
/// </summary>
internal sealed class StatVfsBatch(IReadOnlyList<string> paths, Func<string, StatVfs> statVfs)
{
    private readonly StatVfs[] _results = new StatVfs[paths.Count];
    private readonly Exception?[] _failures = new Exception?[paths.Count];
    private volatile int _finished;
    private volatile bool _abandoned;

    /// <summary>The thread's task; it completes when the last call it made returns.</summary>
    public Task Worker { get; private set; } = Task.CompletedTask;

    /// <summary>
    /// Makes the calls, waiting at most <paramref name="timeout"/> for all of them. Returns how many finished, in order:
    /// when fewer than all, the call for the path at that index has not returned and the later ones are never made.
    /// </summary>
    public int Run(TimeSpan timeout)
    {
        if (paths.Count == 0)
        {
            return 0;
        }

        Worker = Task.Factory.StartNew(Work, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        if (Worker.Wait(timeout))
        {
            return paths.Count;
        }

        _abandoned = true;
        return _finished;
    }

    /// <summary>The values of a finished call, or the exception it threw.</summary>
    public (StatVfs Stat, Exception? Failure) Result(int index) => (_results[index], _failures[index]);

    private void Work()
    {
        for (var i = 0; i < paths.Count && !_abandoned; i++)
        {
            try
            {
                _results[i] = statVfs(paths[i]);
            }
            catch (Exception ex)
            {
                // Handed to the reader, which decides what is a failure of the reporter.
                _failures[i] = ex;
            }

            _finished = i + 1;
        }
    }
}
