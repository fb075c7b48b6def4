using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;

namespace Psistats.Aggregator.Rules;

/// <summary>A comparison operator of a condition.</summary>
internal enum CompareOp
{
    Greater,
    GreaterOrEqual,
    Less,
    LessOrEqual,
    Equal,
    NotEqual,
}

/// <summary>What kind of value a condition compares with.</summary>
internal enum ValueKind
{
    Number,
    String,
    Boolean,
    Null,
}

/// <summary>
/// The VALUE of a condition: a number (<c>90</c>, <c>1.5</c>, <c>-3</c>, with an optional decimal suffix k, m, g, t = 10^3,
/// 10^6, 10^9, 10^12 or binary suffix Ki, Mi, Gi, Ti = 1024^1..4; case-insensitive, m is always mega), <c>true</c>/<c>false</c>,
/// <c>null</c>, or a string (anything else; quote it with <c>"</c> or <c>'</c> to keep a number-like text a string).
/// </summary>
internal sealed class ConditionValue
{
    private ConditionValue(ValueKind kind, string text, double number, bool boolean, string? str)
    {
        Kind = kind;
        Text = text;
        Number = number;
        Boolean = boolean;
        String = str;
        Utf8 = str is null ? [] : Encoding.UTF8.GetBytes(str);
    }

    public ValueKind Kind { get; }

    /// <summary>As written (a quoted string keeps its quotes).</summary>
    public string Text { get; }

    public double Number { get; }

    public bool Boolean { get; }

    public string? String { get; }

    public byte[] Utf8 { get; }

    /// <summary>Reads a value token (already trimmed, non-empty).</summary>
    public static ConditionValue Parse(string text)
    {
        if (text.Length >= 2 && text[0] is '"' or '\'' && text[^1] == text[0])
        {
            return new ConditionValue(ValueKind.String, text, double.NaN, false, text[1..^1]);
        }

        if (TryParseNumber(text, out var number))
        {
            return new ConditionValue(ValueKind.Number, text, number, false, null);
        }

        return text switch
        {
            "true" => new ConditionValue(ValueKind.Boolean, text, double.NaN, true, null),
            "false" => new ConditionValue(ValueKind.Boolean, text, double.NaN, false, null),
            "null" => new ConditionValue(ValueKind.Null, text, double.NaN, false, null),
            _ => new ConditionValue(ValueKind.String, text, double.NaN, false, text),
        };
    }

    /// <summary>A number shifted by <paramref name="delta"/> (hysteresis).</summary>
    public ConditionValue Shifted(double delta) =>
        new(ValueKind.Number, (Number + delta).ToString("R", CultureInfo.InvariantCulture), Number + delta, false, null);

    /// <summary>
    /// Parses a number with an optional suffix: k, m, g, t (10^3, 10^6, 10^9, 10^12) or Ki, Mi, Gi, Ti (1024^1..4), the
    /// letters case-insensitive. Infinity and NaN are refused.
    /// </summary>
    public static bool TryParseNumber(string text, out double value)
    {
        var body = text.Trim();
        var factor = 1.0;
        if (body.Length >= 3 && body[^1] is 'i' or 'I' && Power(body[^2]) is { } binary)
        {
            factor = Math.Pow(1024, binary);
            body = body[..^2];
        }
        else if (body.Length >= 2 && Power(body[^1]) is { } decimalPower)
        {
            factor = Math.Pow(1000, decimalPower);
            body = body[..^1];
        }

        if (body.Length > 0 && !char.IsWhiteSpace(body[^1])
            && double.TryParse(body, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && double.IsFinite(number * factor))
        {
            value = number * factor;
            return true;
        }

        value = double.NaN;
        return false;
    }

    private static int? Power(char suffix) => char.ToLowerInvariant(suffix) switch
    {
        'k' => 1,
        'm' => 2,
        'g' => 3,
        't' => 4,
        _ => null,
    };
}

/// <summary>
/// <c>PATH OP VALUE</c>, parsed once. Operators: <c>&gt;</c> <c>&gt;=</c> <c>&lt;</c> <c>&lt;=</c> <c>==</c> <c>!=</c>
/// (<c>=</c> is <c>==</c>), written with whitespace around them; the text is split at the first such operator token, so
/// paths may hold spaces. The value may be left out (<c>diskio.*.%util &gt;</c>): the condition then waits for a
/// <c>threshold</c> and its rule is inactive.
/// <para>Matching a JSON value: a number value compares numbers (a JSON number, or a JSON string holding a number as
/// cgminer's text format sends it); <c>true</c>/<c>false</c> match JSON booleans; <c>== null</c> matches a JSON null and
/// <c>!= null</c> any other value; a string value compares (ordinal, case-sensitive) with a JSON string, or with the text
/// of a JSON number or boolean. A null value never matches anything but <c>== null</c>, and a missing field yields no
/// instance at all.</para>
/// </summary>
internal sealed class Condition
{
    private static readonly string[] Operators = [">=", "<=", "==", "!=", ">", "<", "="];

    public Condition(FieldPath path, CompareOp op, ConditionValue? value)
    {
        Path = path;
        Op = op;
        Value = value;
        Threshold = value is null ? OpToText(op) : $"{OpToText(op)} {value.Text}";
        Text = $"{path.Text} {Threshold}";
    }

    public FieldPath Path { get; }

    public CompareOp Op { get; }

    /// <summary>Null while the condition waits for a threshold.</summary>
    public ConditionValue? Value { get; }

    /// <summary>True for <c>&lt;</c>, <c>&lt;=</c>, <c>&gt;</c>, <c>&gt;=</c>.</summary>
    public bool IsOrdering => Op is CompareOp.Greater or CompareOp.GreaterOrEqual or CompareOp.Less or CompareOp.LessOrEqual;

    /// <summary><c>PATH OP VALUE</c> (<c>PATH OP</c> while waiting for a threshold).</summary>
    public string Text { get; }

    /// <summary><c>OP VALUE</c>, e.g. <c>&gt; 90</c>, <c>!= Alive</c>.</summary>
    public string Threshold { get; }

    /// <inheritdoc />
    public override string ToString() => Text;

    public Condition WithValue(ConditionValue value) => new(Path, Op, value);

    /// <summary>
    /// The condition an alert keeps holding under hysteresis <paramref name="h"/>: for <c>&gt; 90</c> with 5, <c>&gt; 85</c>
    /// (the alert resolves at &lt;= 85); for <c>&lt; 10</c> with 5, <c>&lt; 15</c>.
    /// </summary>
    public Condition Relaxed(double h) =>
        new(Path, Op, Value!.Shifted(Op is CompareOp.Greater or CompareOp.GreaterOrEqual ? -h : h));

    /// <summary>Whether the condition holds for <paramref name="value"/> (see the type's remarks for each kind of value).</summary>
    public bool Holds(JsonElement value)
    {
        var v = Value!;
        switch (v.Kind)
        {
            case ValueKind.Number:
                return TryGetNumber(value, out var number) && Compare(number, v.Number);
            case ValueKind.Boolean:
                return value.ValueKind is JsonValueKind.True or JsonValueKind.False
                    && ((value.ValueKind == JsonValueKind.True) == v.Boolean) == (Op == CompareOp.Equal);
            case ValueKind.Null:
                return (value.ValueKind == JsonValueKind.Null) == (Op == CompareOp.Equal);
            default:
                bool equal;
                if (value.ValueKind == JsonValueKind.String)
                {
                    equal = value.ValueEquals(v.Utf8);
                }
                else if (value.ValueKind is JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False)
                {
                    equal = JsonMarshal.GetRawUtf8Value(value).SequenceEqual(v.Utf8);
                }
                else
                {
                    return false;
                }

                return equal == (Op == CompareOp.Equal);
        }
    }

    /// <summary>A JSON number, or a JSON string holding one (cgminer's text format sends every value as a string).</summary>
    public static bool TryGetNumber(JsonElement value, out double number)
    {
        if (value.ValueKind == JsonValueKind.Number)
        {
            return value.TryGetDouble(out number);
        }

        if (value.ValueKind == JsonValueKind.String)
        {
            var raw = JsonMarshal.GetRawUtf8Value(value);
            return double.TryParse(raw[1..^1], NumberStyles.Float, CultureInfo.InvariantCulture, out number) && double.IsFinite(number);
        }

        number = double.NaN;
        return false;
    }

    private bool Compare(double x, double threshold) => Op switch
    {
        CompareOp.Greater => x > threshold,
        CompareOp.GreaterOrEqual => x >= threshold,
        CompareOp.Less => x < threshold,
        CompareOp.LessOrEqual => x <= threshold,
        CompareOp.Equal => x == threshold,
        _ => x != threshold,
    };

    /// <summary>
    /// Parses <c>PATH OP [VALUE]</c>. Errors are plain sentences for <c>[rule:NAME] condition: ...</c>; whether the value
    /// suits the operator is checked by <see cref="CheckValue"/>.
    /// </summary>
    public static Condition? TryParse(string text, out string? error)
    {
        var (start, length) = FindOperator(text, out error);
        if (error is not null)
        {
            return null;
        }

        var pathText = text[..start];
        var op = ParseOp(text.Substring(start, length));
        var valueText = text[(start + length)..].Trim();
        var path = FieldPath.TryParse(pathText, out error);
        return path is null ? null : new Condition(path, op, valueText.Length == 0 ? null : ConditionValue.Parse(valueText));
    }

    /// <summary>
    /// Parses the <c>clear</c> condition of <paramref name="condition"/>: <c>PATH OP VALUE</c> on the same path, or just
    /// <c>OP VALUE</c>.
    /// </summary>
    public static Condition? TryParseClear(string text, Condition condition, out string? error)
    {
        var trimmed = text.Trim();
        var first = trimmed.Split((char[]?)null, 2, StringSplitOptions.RemoveEmptyEntries).FirstOrDefault() ?? "";
        var parsed = Operators.Contains(first, StringComparer.Ordinal)
            ? TryParse($"{condition.Path.Text} {trimmed}", out error)
            : TryParse(trimmed, out error);
        if (parsed is null)
        {
            return null;
        }

        if (!parsed.Path.SameAs(condition.Path))
        {
            error = $"'{parsed.Path.Text}' is not the condition's path '{condition.Path.Text}' (write the same path, or just OP VALUE)";
            return null;
        }

        if (parsed.Value is null)
        {
            error = $"'{trimmed}' has no value: write PATH OP VALUE or OP VALUE";
            return null;
        }

        error = CheckValue(parsed.Op, parsed.Value);
        return error is null ? parsed : null;
    }

    /// <summary>Null when <paramref name="value"/> suits <paramref name="op"/>, else why not.</summary>
    public static string? CheckValue(CompareOp op, ConditionValue value) =>
        op is CompareOp.Equal or CompareOp.NotEqual || value.Kind == ValueKind.Number
            ? null
            : $"'{value.Text}' is not a number: {OpToText(op)} compares numbers (a number may end in k, m, g, t = 10^3..10^12 or Ki, Mi, Gi, Ti = 1024^1..4)";

    private static string OpToText(CompareOp op) => op switch
    {
        CompareOp.Greater => ">",
        CompareOp.GreaterOrEqual => ">=",
        CompareOp.Less => "<",
        CompareOp.LessOrEqual => "<=",
        CompareOp.Equal => "==",
        _ => "!=",
    };

    private static CompareOp ParseOp(string op) => op switch
    {
        ">" => CompareOp.Greater,
        ">=" => CompareOp.GreaterOrEqual,
        "<" => CompareOp.Less,
        "<=" => CompareOp.LessOrEqual,
        "!=" => CompareOp.NotEqual,
        _ => CompareOp.Equal,
    };

    /// <summary>The first whitespace-delimited token that is an operator (a path may hold spaces but no such token).</summary>
    private static (int Start, int Length) FindOperator(string text, out string? error)
    {
        error = null;
        var i = 0;
        while (i < text.Length)
        {
            while (i < text.Length && char.IsWhiteSpace(text[i]))
            {
                i++;
            }

            var start = i;
            while (i < text.Length && !char.IsWhiteSpace(text[i]))
            {
                i++;
            }

            var token = text[start..i];
            var isOperator = Operators.Contains(token, StringComparer.Ordinal);
            if ((isOperator || token.Length > 0 && token.All(c => c is '<' or '>' or '=' or '!')) && text[..start].Trim().Length == 0)
            {
                error = $"bad path: nothing before the operator '{token}' (write PATH OP VALUE)";
                return (0, 0);
            }

            if (isOperator)
            {
                return (start, token.Length);
            }

            if (token.Length > 0 && token.All(c => c is '<' or '>' or '=' or '!'))
            {
                error = $"unknown operator '{token}' (use >, >=, <, <=, == or !=)";
                return (0, 0);
            }
        }

        error = text.Trim().Length == 0
            ? "empty: write PATH OP VALUE, e.g. filesystems.*.pcent > 90"
            : text.IndexOfAny(['<', '>', '=', '!']) >= 0
                ? $"no operator in '{text.Trim()}': write spaces around it, PATH OP VALUE (>, >=, <, <=, ==, !=)"
                : $"no operator in '{text.Trim()}': write PATH OP VALUE with one of >, >=, <, <=, ==, !=";
        return (0, 0);
    }
}
