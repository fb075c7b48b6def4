namespace Psistats.Agent.Publishing;

/// <summary>Wakes the publisher when frames arrive: <see cref="Ring"/> completes the current wait, if any.</summary>
internal sealed class Doorbell
{
    private TaskCompletionSource _bell = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes waiters. Call after adding a frame.</summary>
    public void Ring() => Volatile.Read(ref _bell).TrySetResult();

    /// <summary>A task completing at the next <see cref="Ring"/>, or at once when <paramref name="ready"/> is already true.</summary>
    /// <remarks>The caller holds its own lock around <paramref name="ready"/> and this call.</remarks>
    public Task WaitAsync(bool ready, CancellationToken cancellationToken)
    {
        if (ready)
        {
            return Task.CompletedTask;
        }

        if (_bell.Task.IsCompleted)
        {
            Volatile.Write(ref _bell, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        }

        return _bell.Task.WaitAsync(cancellationToken);
    }
}
