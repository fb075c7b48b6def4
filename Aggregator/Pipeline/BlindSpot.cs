namespace Psistats.Aggregator.Pipeline;

/// <summary>
/// Tells apart "a host is silent" from "the aggregator cannot see": while the consumer is not consuming (the broker is
/// unreachable, or the connection is being re-made) or when the aggregator itself did not run for a while (a late tick: the
/// machine was starved, suspended or the process paused), frames cannot arrive, so no host may be declared DOWN for that
/// silence. Without this, a broker restart longer than <c>down_after</c> turned into one host_down per host.
/// </summary>
/// <remarks>
/// Fed once per tick (<see cref="Observe"/>). While blind, DOWN detection is skipped; when the aggregator sees again, every
/// host's silence is counted from that moment (<see cref="State.HostStateStore.Rebase"/>), so a host that really died is
/// still declared DOWN, one down_after later. Blind for longer than <c>down_after</c> - the moment hosts would have started
/// going DOWN - fires the one alert <see cref="Rule"/> instead; it resolves when the consumer is back.
/// Not thread-safe: the pipeline's tick lock serialises the calls.
/// </remarks>
/// <param name="downAfter"><c>[aggregator] down_after</c>.</param>
/// <param name="stallAfter">A gap between two ticks longer than this is a stall of the aggregator itself.</param>
public sealed class BlindSpot(TimeSpan downAfter, TimeSpan stallAfter)
{
    /// <summary>The built-in rule (kind external) of the alert raised while the aggregator is blind.</summary>
    public const string Rule = "aggregator_blind";

    /// <summary>The alert's host: the aggregator itself.</summary>
    public const string Host = "aggregator";

    private DateTimeOffset? _lastTick;
    private DateTimeOffset? _blindSince;
    private DateTimeOffset? _firingSince;
    private bool _startupBlindness;

    /// <summary>Since when the aggregator has been blind, or null while it sees.</summary>
    public DateTimeOffset? BlindSince => _blindSince;

    /// <summary>Takes back an <see cref="Rule"/> alert firing before a restart, so that it resolves once the consumer is back.</summary>
    public void RestoreFiring(DateTimeOffset firingSince) => _firingSince ??= firingSince;

    /// <summary>
    /// One tick at <paramref name="now"/>, with the consumer <paramref name="consuming"/> or not; <paramref name="startup"/> when
    /// the consumer has not consumed yet since the aggregator started (a blindness that starts then is marked
    /// <see cref="BlindSpotStep.Startup"/> until it ends).
    /// </summary>
    public BlindSpotStep Observe(DateTimeOffset now, bool consuming, bool startup = false)
    {
        var last = _lastTick;
        _lastTick = now;
        var stall = last is { } l && now - l > stallAfter ? now - l : (TimeSpan?)null;
        if (!consuming)
        {
            if (_blindSince is not null && _startupBlindness && !startup)
            {
                // The consumer connected and was lost again between two ticks: the blindness of the start-up is over and a
                // new one begins now.
                _blindSince = null;
            }

            var began = _blindSince is null;
            if (began)
            {
                _startupBlindness = startup;
            }

            // Blind since the last tick that ran when the aggregator itself stalled meanwhile, else since now.
            var since = _blindSince ?? (stall is not null && last is { } previous ? previous : now);
            _blindSince = since;
            var fire = _firingSince is null && now - since > downAfter;
            if (fire)
            {
                _firingSince = now;
            }

            return new BlindSpotStep { CheckDown = false, Began = began, Fire = fire, BlindFor = now - since, Startup = _startupBlindness };
        }

        if (_blindSince is not null || _firingSince is not null)
        {
            var wasStartup = _blindSince is not null && _startupBlindness;
            _startupBlindness = false;
            var blindFor = _blindSince is { } start ? now - start : TimeSpan.Zero;
            var resolve = _firingSince;
            _blindSince = null;
            _firingSince = null;
            return new BlindSpotStep { CheckDown = false, RebaseFrom = now, Ended = true, BlindFor = blindFor, Resolve = resolve, Startup = wasStartup };
        }

        if (stall is { } gap)
        {
            return new BlindSpotStep { CheckDown = false, RebaseFrom = now, Stall = gap };
        }

        return new BlindSpotStep { CheckDown = true };
    }
}

/// <summary>What <see cref="BlindSpot.Observe"/> says about one tick.</summary>
public sealed record BlindSpotStep
{
    /// <summary>True when DOWN detection may run in this tick.</summary>
    public required bool CheckDown { get; init; }

    /// <summary>When set, hosts' silence is counted from this time (<see cref="State.HostStateStore.Rebase"/>).</summary>
    public DateTimeOffset? RebaseFrom { get; init; }

    /// <summary>The consumer stopped consuming at this tick.</summary>
    public bool Began { get; init; }

    /// <summary>The consumer is consuming again at this tick, after <see cref="BlindFor"/>.</summary>
    public bool Ended { get; init; }

    /// <summary>How long the aggregator has been (or was) blind.</summary>
    public TimeSpan BlindFor { get; init; }

    /// <summary>The consumer has not consumed yet since the aggregator started (the first connection is being made).</summary>
    public bool Startup { get; init; }

    /// <summary>The gap before this tick when the aggregator itself stalled (it did not run), else null.</summary>
    public TimeSpan? Stall { get; init; }

    /// <summary>Fire the <see cref="BlindSpot.Rule"/> alert now.</summary>
    public bool Fire { get; init; }

    /// <summary>Resolve the <see cref="BlindSpot.Rule"/> alert that fired at this time.</summary>
    public DateTimeOffset? Resolve { get; init; }
}
