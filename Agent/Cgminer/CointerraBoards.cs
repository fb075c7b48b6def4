using System.Globalization;
using System.Numerics;
using System.Text.Json;
using Psistats.Contracts.Frames;

namespace Psistats.Agent.Cgminer;

/// <summary>
/// Cointerra boards in a <c>stats</c> reply, decoded as driver-cointerra.c <c>cta_api_stats()</c> writes them: one
/// <c>STATS[]</c> entry per board with ID <c>CTA&lt;n&gt;</c> (driver name CTA and device number); <c>CoreTemp&lt;i&gt;</c>,
/// <c>Ambient Low/Avg/High</c> are signed hundredths of a degree C; <c>FanRPM&lt;n&gt;</c>, <c>PumpRPM&lt;n&gt;</c> RPM;
/// <c>HWErrors&lt;i&gt;</c> per die; <c>Asic&lt;a&gt;Core&lt;c&gt;</c> the 128-engine bitmap of die a·4+c (the driver's
/// <c>coreno</c>), as <c>"&lt;bits set&gt;:&lt;32 hex&gt;"</c> or, on the earliest firmware, the bare 32 hex digits.
/// </summary>
public static class CointerraBoards
{
    /// <summary>Dies per ASIC in the driver's numbering (<c>for (core = 0; core &lt; 4; core++)</c>).</summary>
    public const int DiesPerAsic = 4;

    /// <summary>Indexed keys (<c>CoreTemp&lt;i&gt;</c>...) above this index are not decoded (left in <c>Other</c>).</summary>
    private const int MaxIndex = 63;

    /// <summary>A fan reading of 0, or of 65000 and above, means no fan on that connector (cointerra-monitor's rule).</summary>
    public const int InvalidFanRpm = 65000;

    /// <summary>The JSON names of the decoded fields: a key of the reply with one of these names is dropped, not sent twice.</summary>
    private static readonly string[] DecodedNames =
        ["core_temps", "avg_core_temp", "max_core_temp", "ambient_low", "ambient_avg", "ambient_high", "fans", "pumps", "hw_errors", "live_engines"];

    /// <summary>True for a Cointerra board entry: its <c>ID</c> is <c>CTA</c> followed by digits.</summary>
    public static bool IsBoard(JsonElement entry) =>
        entry.ValueKind == JsonValueKind.Object
        && entry.TryGetProperty("ID", out var id) && id.ValueKind == JsonValueKind.String
        && id.GetString() is { Length: > 3 } text && text.StartsWith("CTA", StringComparison.Ordinal) && text[3..].All(char.IsAsciiDigit);

    /// <summary>Decodes one board entry (see <see cref="CointerraBoard"/> for the fields and their units).</summary>
    public static CointerraBoard Decode(JsonElement entry)
    {
        var e = new CgminerEntry(entry);
        var id = e.String("ID") ?? "";
        var dies = e.Int("Dies");
        var coreTemps = Indexed(e, "CoreTemp").ToDictionary(p => p.Index, p => Hundredths(p.Value));
        var hwErrors = Indexed(e, "HWErrors").ToDictionary(p => p.Index, p => CgminerEntry.AsLong(p.Value));
        var liveEngines = new Dictionary<string, int>(StringComparer.Ordinal);
        var liveByDie = new Dictionary<int, int>();
        foreach (var key in e.Keys.ToList())
        {
            if (AsicCore(key) is { } die && e.String(key) is { } bitmap && LiveEngines(bitmap) is { } live)
            {
                liveEngines[key] = live;
                liveByDie[die] = live;
            }
        }

        // Active dies: 0..Dies-1 (every die with a temperature when Dies is absent), except a die whose bitmap has no live engine.
        foreach (var name in DecodedNames)
        {
            e.Take(name);
        }

        var counted = coreTemps
            .Where(t => t.Value is not null && (dies is null || t.Key < dies) && liveByDie.GetValueOrDefault(t.Key, 1) > 0)
            .Select(t => t.Value!.Value)
            .ToList();

        return new CointerraBoard
        {
            Stats = e.Int("STATS"),
            Id = id,
            BoardNumber = e.Int("Board number"),
            Serial = e.Long("Serial"),
            FwRevision = e.String("FW Revision"),
            Asics = e.Int("Asics"),
            Dies = dies,
            DiesActive = e.Int("DiesActive"),
            CoreTemps = Dense(coreTemps),
            AvgCoreTemp = counted.Count > 0 ? Math.Round(counted.Average(), 2) : null,
            MaxCoreTemp = counted.Count > 0 ? counted.Max() : null,
            AmbientLow = e.Take("Ambient Low") is { } low ? Hundredths(low) : null,
            AmbientAvg = e.Take("Ambient Avg") is { } avg ? Hundredths(avg) : null,
            AmbientHigh = e.Take("Ambient High") is { } high ? Hundredths(high) : null,
            Fans = Rpms(e, "FanRPM", rpm => rpm is > 0 and < InvalidFanRpm),
            Pumps = Rpms(e, "PumpRPM", _ => true),
            HwErrors = Dense(hwErrors),
            LiveEngines = liveEngines,
            Other = e.Rest(),
        };
    }

    /// <summary>
    /// Live engines in an <c>Asic&lt;a&gt;Core&lt;c&gt;</c> value: the bits set in the hex bitmap, from <c>"&lt;count&gt;:&lt;hex&gt;"</c>
    /// or bare hex; the count before the colon when the hex part is unreadable; null when neither is readable.
    /// </summary>
    public static int? LiveEngines(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var colon = value.IndexOf(':', StringComparison.Ordinal);
        var hex = colon >= 0 ? value[(colon + 1)..] : value;
        if (hex.Length is > 0 and <= 256 && hex.All(char.IsAsciiHexDigit))
        {
            return hex.Sum(c => BitOperations.PopCount((uint)(char.IsAsciiDigit(c) ? c - '0' : (c | 0x20) - 'a' + 10)));
        }

        return colon > 0 && int.TryParse(value.AsSpan(0, colon), NumberStyles.None, CultureInfo.InvariantCulture, out var count) ? count : null;
    }

    /// <summary>The die of an <c>Asic&lt;a&gt;Core&lt;c&gt;</c> key (a·4+c), or null for another key.</summary>
    private static int? AsicCore(string key)
    {
        var core = key.IndexOf("Core", StringComparison.Ordinal);
        return key.StartsWith("Asic", StringComparison.Ordinal) && core > 4
            && int.TryParse(key.AsSpan(4, core - 4), NumberStyles.None, CultureInfo.InvariantCulture, out var asic)
            && int.TryParse(key.AsSpan(core + 4), NumberStyles.None, CultureInfo.InvariantCulture, out var c)
            && asic <= MaxIndex && c < DiesPerAsic
            ? asic * DiesPerAsic + c
            : null;
    }

    /// <summary>The keys <c>&lt;prefix&gt;&lt;index&gt;</c> (index 0..63, digits only), taken from the entry, by index.</summary>
    private static IEnumerable<(int Index, JsonElement Value)> Indexed(CgminerEntry e, string prefix)
    {
        foreach (var key in e.Keys.ToList())
        {
            if (key.Length > prefix.Length && key.StartsWith(prefix, StringComparison.Ordinal)
                && int.TryParse(key.AsSpan(prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var index)
                && index <= MaxIndex && e.Take(key) is { } value)
            {
                yield return (index, value);
            }
        }
    }

    private static double? Hundredths(JsonElement value) => CgminerEntry.AsDouble(value) is { } hundredths ? Math.Round(hundredths / 100, 2) : null;

    /// <summary>Index i at position i, null where the reply has no such index.</summary>
    private static List<T?> Dense<T>(Dictionary<int, T?> byIndex)
        where T : struct =>
        byIndex.Count == 0 ? [] : Enumerable.Range(0, byIndex.Keys.Max() + 1).Select(i => byIndex.GetValueOrDefault(i)).ToList();

    private static Dictionary<string, int> Rpms(CgminerEntry e, string prefix, Func<long, bool> valid) =>
        Indexed(e, prefix)
            .Select(p => (p.Index, Rpm: CgminerEntry.AsLong(p.Value)))
            .Where(p => p.Rpm is { } rpm && rpm is >= 0 and <= int.MaxValue && valid(rpm))
            .OrderBy(p => p.Index)
            .ToDictionary(p => $"{prefix}{p.Index}", p => (int)p.Rpm!.Value, StringComparer.Ordinal);
}
