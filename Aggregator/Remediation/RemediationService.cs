using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Psistats.Aggregator.Remediation;

/// <summary>
/// The hosted service of the remediation: runs each plan the <see cref="MinerWatch"/> queues with the
/// <see cref="RemediationRunner"/>, off the frame-consuming path; remediations of different miners run concurrently (the
/// watch never queues two of one miner). Every <see cref="TickPeriod"/> it calls <see cref="MinerWatch.Tick"/> (cooldowns over,
/// max_reboots windows, the fleet guard's release). At start it deletes leftover <c>run-*</c> directories in work_dir (a run
/// killed with the process). On stop, running remediations are cancelled (their SSH processes killed) and end as interrupted.
/// </summary>
public sealed class RemediationService(
    MinerWatch watch,
    RemediationRunner runner,
    RemediationOptions options,
    TimeProvider time,
    ILogger<RemediationService> logger) : BackgroundService
{
    /// <summary>How often <see cref="MinerWatch.Tick"/> runs.</summary>
    public static readonly TimeSpan TickPeriod = TimeSpan.FromSeconds(5);

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        DeleteLeftovers();
        var running = new List<Task>();
        var ticks = TickAsync(stoppingToken);
        try
        {
            await foreach (var plan in watch.Plans.ReadAllAsync(stoppingToken).ConfigureAwait(false))
            {
                running.RemoveAll(t => t.IsCompleted);
                running.Add(Task.Run(() => runner.RunAsync(plan, stoppingToken), CancellationToken.None));
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: the runs see the same token and end as interrupted.
        }

        await Task.WhenAll([.. running, ticks]).ConfigureAwait(false);
    }

    private async Task TickAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                await Task.Delay(TickPeriod, time, stoppingToken).ConfigureAwait(false);
                try
                {
                    watch.Tick(time.GetUtcNow());
                }
                catch (Exception ex) when (ex is not OperationCanceledException and not OutOfMemoryException)
                {
                    // One bad value must not end the remediation's watch: logged, and the next tick runs as usual.
                    RemediationLog.TickFailed(logger, ex, ex.Message);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    private void DeleteLeftovers()
    {
        if (!Directory.Exists(options.WorkDir))
        {
            return;
        }

        foreach (var directory in Directory.EnumerateDirectories(options.WorkDir, "run-*"))
        {
            try
            {
                Directory.Delete(directory, recursive: true);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                RemediationLog.CleanupFailed(logger, directory, ex.Message);
            }
        }
    }
}
