using System.Threading.RateLimiting;

namespace Psistats.Aggregator;

/// <summary>How many lines a repeated log message may write: a burst of bad or replayed frames must not flood the log.</summary>
internal static class LogBudget
{
    /// <summary>A budget of <paramref name="lines"/> lines a minute (a token each, refilled every minute, never queued).</summary>
    public static TokenBucketRateLimiter PerMinute(int lines) => new(new TokenBucketRateLimiterOptions
    {
        TokenLimit = lines,
        TokensPerPeriod = lines,
        ReplenishmentPeriod = TimeSpan.FromMinutes(1),
        QueueLimit = 0,
        AutoReplenishment = true,
    });
}
