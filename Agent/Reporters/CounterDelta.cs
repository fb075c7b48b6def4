namespace Psistats.Agent.Reporters;

/// <summary>
/// Differences of kernel counters between two samples, for the widths the kernel keeps them in. A difference is never
/// negative and never the huge value a plain unsigned subtraction gives when a counter wrapped or restarted.
/// </summary>
public static class CounterDelta
{
    /// <summary>
    /// A counter the kernel keeps as <c>unsigned long</c> (the I/O, merge and sector counts of /proc/diskstats) or
    /// that a 32-bit driver feeds (/proc/net/dev): 64 bits on 64-bit kernels, 32 bits on 32-bit ones, which wrap at 2^32.
    /// When <paramref name="current"/> is below <paramref name="previous"/>: if <paramref name="previous"/> fits 32 bits the
    /// counter wrapped at 2^32 and the difference is taken modulo 2^32 (sysstat's rule in <c>ll_s_value()</c>); otherwise
    /// a 64-bit counter cannot have wrapped in practice, it restarted from 0 (device or interface re-created), and the
    /// difference is <paramref name="current"/>.
    /// </summary>
    public static ulong UnsignedLong(ulong previous, ulong current) =>
        current >= previous ? current - previous
        : previous <= uint.MaxValue ? current + (1UL << 32) - previous
        : current;

    /// <summary>
    /// A counter the kernel prints as <c>unsigned int</c> on every kernel (the millisecond fields of /proc/diskstats):
    /// the difference modulo 2^32, as iostat computes it in <c>unsigned int</c> arithmetic.
    /// </summary>
    public static uint UnsignedInt(ulong previous, ulong current) => unchecked((uint)current - (uint)previous);
}
