using System.Globalization;

namespace Psistats.Agent.Reporters.Mem;

/// <summary>Parses /proc/meminfo (proc(5)): lines of <c>Key: value kB</c>.</summary>
public static class MemInfo
{
    /// <summary>Every field, in bytes (kB values times 1024; unit-less counters such as HugePages_Total as they are).</summary>
    /// <exception cref="FormatException">When a value is not a number.</exception>
    public static IReadOnlyDictionary<string, long> Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var values = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
            {
                continue;
            }

            var parts = line[(colon + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length == 0 || !long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var value))
            {
                throw new FormatException($"/proc/meminfo line '{line.Trim()}' has no numeric value");
            }

            values[line[..colon]] = parts.Length > 1 && parts[1] == "kB" ? value * 1024 : value;
        }

        return values;
    }

    /// <summary>
    /// MemAvailable, or on kernels before 3.14 (no MemAvailable) the classic estimate
    /// MemFree + Buffers + Cached, in bytes.
    /// </summary>
    public static long Available(IReadOnlyDictionary<string, long> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        return values.TryGetValue("MemAvailable", out var available)
            ? available
            : values.GetValueOrDefault("MemFree") + values.GetValueOrDefault("Buffers") + values.GetValueOrDefault("Cached");
    }
}
