using System.Globalization;

namespace Psistats.CgminerSimulator.Api;

/// <summary>How a value is written: as a JSON string (escaped or not in text replies), a bare number, or a bare literal.</summary>
internal enum ApiValueKind
{
    /// <summary>cgminer's API_STRING/API_CONST: quoted in JSON, written as is in text.</summary>
    String,

    /// <summary>cgminer's API_ESCAPE (user-supplied text: URLs, users, messages): quoted in JSON, with <c>, | = \</c> escaped in text.</summary>
    Escape,

    /// <summary>Any numeric type: written bare, already formatted as cgminer's printf does.</summary>
    Number,

    /// <summary>API_BOOL: <c>true</c>/<c>false</c>, bare.</summary>
    Literal,
}

/// <summary>One value, already in cgminer's text form.</summary>
internal readonly record struct ApiValue(ApiValueKind Kind, string Text);

/// <summary>
/// One object of a reply section (one ASC, one pool, the summary...): keys in cgminer's order, each value formatted
/// the way api.c's print_data formats its type. The method names follow api.c's api_add_* functions:
/// <c>Mhs</c>/<c>Utility</c> "%.2f", <c>MhTotal</c> "%.4f", <c>Diff</c> "%.8f", <c>Percent</c> "%.4f" of the fraction times 100,
/// <c>Temp</c> "%.2f", <c>Double</c> "%f", <c>Elapsed</c> "%.0f", <c>Timeval</c> "%ld.%06ld", integers and <c>Time</c> (epoch seconds) as integers.
/// </summary>
internal sealed class ApiRecord
{
    private readonly List<KeyValuePair<string, ApiValue>> _items = [];

    /// <summary>The keys and values, in order.</summary>
    public IReadOnlyList<KeyValuePair<string, ApiValue>> Items => _items;

    /// <summary>api_add_string / api_add_const.</summary>
    public ApiRecord String(string key, string value) => Add(key, ApiValueKind.String, value);

    /// <summary>api_add_escape.</summary>
    public ApiRecord Escape(string key, string value) => Add(key, ApiValueKind.Escape, value);

    /// <summary>api_add_int, _uint, _uint8, _int16, _uint16, _uint32, _uint64, _int64.</summary>
    public ApiRecord Int(string key, long value) => Number(key, value.ToString(CultureInfo.InvariantCulture));

    /// <summary>api_add_uint64 for values above <see cref="long.MaxValue"/>.</summary>
    public ApiRecord UInt(string key, ulong value) => Number(key, value.ToString(CultureInfo.InvariantCulture));

    /// <summary>api_add_time: epoch seconds.</summary>
    public ApiRecord Time(string key, long epochSeconds) => Int(key, epochSeconds);

    /// <summary>api_add_timeval: "%ld.%06ld".</summary>
    public ApiRecord Timeval(string key, long seconds, int microseconds) =>
        Number(key, string.Create(CultureInfo.InvariantCulture, $"{seconds}.{microseconds:D6}"));

    /// <summary>api_add_mhs: "%.2f".</summary>
    public ApiRecord Mhs(string key, double value) => Fixed(key, value, 2);

    /// <summary>api_add_utility: "%.2f".</summary>
    public ApiRecord Utility(string key, double value) => Fixed(key, value, 2);

    /// <summary>api_add_temp: "%.2f".</summary>
    public ApiRecord Temp(string key, double value) => Fixed(key, value, 2);

    /// <summary>api_add_mhtotal: "%.4f".</summary>
    public ApiRecord MhTotal(string key, double value) => Fixed(key, value, 4);

    /// <summary>api_add_diff: "%.8f".</summary>
    public ApiRecord Diff(string key, double value) => Fixed(key, value, 8);

    /// <summary>api_add_double: "%f".</summary>
    public ApiRecord Double(string key, double value) => Fixed(key, value, 6);

    /// <summary>api_add_elapsed: "%.0f".</summary>
    public ApiRecord Elapsed(string key, double seconds) => Fixed(key, seconds, 0);

    /// <summary>api_add_percent: "%.4f" of <paramref name="fraction"/> × 100.</summary>
    public ApiRecord Percent(string key, double fraction) => Fixed(key, fraction * 100.0, 4);

    /// <summary>api_add_bool.</summary>
    public ApiRecord Bool(string key, bool value) => Add(key, ApiValueKind.Literal, value ? "true" : "false");

    private ApiRecord Fixed(string key, double value, int decimals) =>
        Number(key, (double.IsFinite(value) ? value : 0).ToString("F" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture));

    private ApiRecord Number(string key, string text) => Add(key, ApiValueKind.Number, text);

    private ApiRecord Add(string key, ApiValueKind kind, string text)
    {
        _items.Add(new(key, new ApiValue(kind, text)));
        return this;
    }
}
