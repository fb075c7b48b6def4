namespace Psistats.CgminerSimulator.Miner;

/// <summary>
/// Deterministic noise: the same (seed, stream, index) always gives the same value, in every process
/// (SplitMix64 finaliser; <see cref="HashCode"/> is randomised per process and would not do).
/// Readings vary per time window (index = window number), so a request repeated in the same window sees the same values.
/// </summary>
internal static class Noise
{
    /// <summary>A 64-bit hash of the three inputs.</summary>
    public static ulong Hash(long seed, long stream, long index)
    {
        var z = unchecked((ulong)seed * 0x9E3779B97F4A7C15UL ^ (ulong)stream * 0xBF58476D1CE4E5B9UL ^ (ulong)index * 0x94D049BB133111EBUL);
        z = unchecked((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL);
        z = unchecked((z ^ (z >> 27)) * 0x94D049BB133111EBUL);
        return z ^ (z >> 31);
    }

    /// <summary>Uniform in [0, 1).</summary>
    public static double Unit(long seed, long stream, long index) => (Hash(seed, stream, index) >> 11) * (1.0 / (1UL << 53));

    /// <summary>Uniform in [-1, 1).</summary>
    public static double Signed(long seed, long stream, long index) => Unit(seed, stream, index) * 2 - 1;
}
