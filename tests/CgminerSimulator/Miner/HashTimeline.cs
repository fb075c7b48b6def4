namespace Psistats.CgminerSimulator.Miner;

/// <summary>
/// A board's hashing seconds: wall seconds since cgminer started, weighted by the part of the board that hashes.
/// The rate is 1 until a fault changes it: from each change's time on, the rate is multiplied by its factor
/// (0 for a board that stopped, 0.875 for one die of eight lost). Every counter of the board (hashes, shares,
/// hardware errors) is a function of these seconds, so counters never go backwards and stop or slow exactly
/// when a fault says.
/// </summary>
internal sealed class HashTimeline
{
    private readonly (double At, double Factor)[] _changes;

    /// <summary>A timeline with the given rate changes (times in seconds since cgminer started; negative times count as 0).</summary>
    public HashTimeline(IEnumerable<(double At, double Factor)> changes) =>
        _changes = changes.Select(c => (Math.Max(0, c.At), c.Factor)).OrderBy(c => c.Item1).ToArray();

    /// <summary>The rate (0..1) at <paramref name="t"/> seconds.</summary>
    public double RateAt(double t) => _changes.Where(c => c.At <= t).Aggregate(1.0, (rate, c) => rate * c.Factor);

    /// <summary>Hashing seconds accumulated from 0 to <paramref name="t"/>.</summary>
    public double HashSecondsAt(double t)
    {
        double hashed = 0, from = 0, rate = 1;
        foreach (var (at, factor) in _changes)
        {
            if (at >= t)
            {
                break;
            }

            hashed += rate * (at - from);
            from = at;
            rate *= factor;
        }

        return hashed + rate * Math.Max(0, t - from);
    }

    /// <summary>The first wall time at which <paramref name="hashSeconds"/> were reached (infinity if never: the board stopped before).</summary>
    public double WallSecondsAt(double hashSeconds)
    {
        double hashed = 0, from = 0, rate = 1;
        foreach (var (at, factor) in _changes)
        {
            var segment = rate * (at - from);
            if (rate > 0 && hashed + segment >= hashSeconds)
            {
                return from + (hashSeconds - hashed) / rate;
            }

            hashed += segment;
            from = at;
            rate *= factor;
        }

        return rate > 0 ? from + (hashSeconds - hashed) / rate : double.PositiveInfinity;
    }
}
