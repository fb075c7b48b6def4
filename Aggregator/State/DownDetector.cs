using Microsoft.Extensions.Hosting;

namespace Psistats.Aggregator.State;

/// <summary>Checks every second, on the aggregator's clock, which hosts have been silent longer than down_after.</summary>
public sealed class DownDetector(HostStateStore store, TimeProvider time) : BackgroundService
{
    /// <summary>How often hosts are checked.</summary>
    public static readonly TimeSpan Period = TimeSpan.FromSeconds(1);

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Period, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                store.CheckDown(time.GetUtcNow());
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }
}
