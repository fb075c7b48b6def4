using System.Text;

namespace Psistats.Agent.Reporters;

/// <summary>
/// The time base of the rate reporters (<c>diskio</c>, <c>net</c>): the first field of <c>/proc/uptime</c> in hundredths
/// of a second, taken as sysstat's <c>read_uptime()</c> takes it (seconds·100 + the two decimals the kernel prints), so
/// that an interval is measured exactly as iostat and sar measure theirs. Reading it under <c>[app] proc_root</c> keeps
/// fixture tests deterministic: the interval between two fixture samples is the difference of their uptime files.
/// </summary>
public static class ProcUptime
{
    /// <summary>Reads <paramref name="path"/> (a /proc/uptime file) in hundredths of a second.</summary>
    /// <exception cref="IOException">When the file cannot be read.</exception>
    /// <exception cref="FormatException">When the first field is not <c>seconds.hundredths</c>.</exception>
    public static ulong ReadCentiseconds(KernelFile file, string path)
    {
        ArgumentNullException.ThrowIfNull(file);
        var text = file.ReadAll(path);
        if (!KernelText.NextField(ref text, out var first))
        {
            throw new FormatException($"{path} is empty");
        }

        var dot = first.IndexOf((byte)'.');
        var seconds = KernelText.ParseCounter(dot < 0 ? first : first[..dot], path);
        var fraction = dot < 0 ? [] : first[(dot + 1)..];
        ulong hundredths = 0;
        for (var i = 0; i < 2; i++)
        {
            var digit = i < fraction.Length ? fraction[i] - '0' : 0;
            if (digit is < 0 or > 9)
            {
                throw new FormatException($"{path}: '{Encoding.ASCII.GetString(first)}' is not a number of seconds");
            }

            hundredths = hundredths * 10 + (ulong)digit;
        }

        return seconds * 100 + hundredths;
    }

    /// <summary>
    /// Hundredths of a second between two readings, as sysstat's <c>get_interval()</c>: the difference, and 1 when it is 0
    /// (two readings within the same hundredth, or a fixture whose uptime does not change) so that no rate divides by zero.
    /// An uptime that went backwards (impossible on one running kernel) also gives 1.
    /// </summary>
    public static ulong Interval(ulong previous, ulong current) => current > previous ? current - previous : 1;
}
