using System.Globalization;
using System.Text.Json;

namespace Psistats.Agent.Cgminer;

/// <summary>
/// Typed reads of one cgminer entry (a JSON object such as <c>SUMMARY[0]</c>), tolerant of what miners send: a number
/// may come as a JSON number or as a numeric string (text-format replies carry only strings), a repeated key counts
/// once (the last), and a value that is not of the asked type reads as null. Every key read is "taken";
/// <see cref="Rest"/> returns the others, in the miner's order, so that unknown keys are kept.
/// </summary>
public sealed class CgminerEntry
{
    private readonly Dictionary<string, JsonElement> _values = new(StringComparer.Ordinal);
    private readonly List<string> _order = [];
    private readonly HashSet<string> _taken = new(StringComparer.Ordinal);

    /// <summary>Reads the properties of <paramref name="entry"/>; anything but an object is an entry without keys.</summary>
    public CgminerEntry(JsonElement entry)
    {
        if (entry.ValueKind != JsonValueKind.Object)
        {
            return;
        }

        foreach (var property in entry.EnumerateObject())
        {
            if (!_values.ContainsKey(property.Name))
            {
                _order.Add(property.Name);
            }

            _values[property.Name] = property.Value;
        }
    }

    /// <summary>The entry's keys, in the miner's order.</summary>
    public IReadOnlyList<string> Keys => _order;

    /// <summary>The raw value of <paramref name="key"/> (marking it taken), or null when absent.</summary>
    public JsonElement? Take(string key)
    {
        if (!_values.TryGetValue(key, out var value))
        {
            return null;
        }

        _taken.Add(key);
        return value;
    }

    /// <summary>A string, or a number's text; null otherwise.</summary>
    public string? String(string key) => Take(key) is { } value ? AsString(value) : null;

    /// <summary>A finite number.</summary>
    public double? Double(string key) => Take(key) is { } value ? AsDouble(value) : null;

    /// <summary>A whole number (a number with a zero fraction counts).</summary>
    public long? Long(string key) => Take(key) is { } value ? AsLong(value) : null;

    /// <summary>A whole number within the range of <see cref="int"/>.</summary>
    public int? Int(string key) => Long(key) is { } value and >= int.MinValue and <= int.MaxValue ? (int)value : null;

    /// <summary>A JSON boolean, or the text <c>true</c>/<c>false</c> (text-format replies).</summary>
    public bool? Bool(string key) => Take(key) is { } value ? AsBool(value) : null;

    /// <summary>The keys not taken, in the miner's order; null when there are none.</summary>
    public Dictionary<string, JsonElement>? Rest()
    {
        var rest = _order.Where(k => !_taken.Contains(k)).ToDictionary(k => k, k => _values[k], StringComparer.Ordinal);
        return rest.Count > 0 ? rest : null;
    }

    /// <summary>A string, or the raw text of a number; null for other kinds.</summary>
    public static string? AsString(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString(),
        JsonValueKind.Number => value.GetRawText(),
        _ => null,
    };

    /// <summary>A finite double from a number or a numeric string.</summary>
    public static double? AsDouble(JsonElement value)
    {
        var number = 0.0;
        var ok = value.ValueKind == JsonValueKind.Number
            ? value.TryGetDouble(out number)
            : value.ValueKind == JsonValueKind.String
                && double.TryParse(value.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out number);
        return ok && double.IsFinite(number) ? number : null;
    }

    /// <summary>A whole number from a number or a numeric string; a value with a fractional part, or out of range, is null.</summary>
    public static long? AsLong(JsonElement value)
    {
        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var whole))
        {
            return whole;
        }

        if (value.ValueKind == JsonValueKind.String
            && long.TryParse(value.GetString(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out whole))
        {
            return whole;
        }

        // 2^63 as a double: the first value that no longer fits a long.
        const double Limit = 9223372036854775808.0;
        return AsDouble(value) is { } number && Math.Floor(number) == number && number >= -Limit && number < Limit ? (long)number : null;
    }

    /// <summary>true/false, as JSON booleans or text.</summary>
    public static bool? AsBool(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        JsonValueKind.String when string.Equals(value.GetString(), "true", StringComparison.OrdinalIgnoreCase) => true,
        JsonValueKind.String when string.Equals(value.GetString(), "false", StringComparison.OrdinalIgnoreCase) => false,
        _ => null,
    };
}
