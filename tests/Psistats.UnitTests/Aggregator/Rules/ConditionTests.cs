using System.Text.Json;
using Psistats.Aggregator.Rules;

namespace Psistats.UnitTests.Aggregator.Rules;

public sealed class ConditionTests
{
    private static Condition Parse(string text)
    {
        var condition = Condition.TryParse(text, out var error);
        Assert.Null(error);
        return condition!;
    }

    private static string ParseError(string text)
    {
        Assert.Null(Condition.TryParse(text, out var error));
        return error!;
    }

    [Theory]
    [InlineData("cpu > 90", "cpu", ">", "90")]
    [InlineData("cpu >= 90", "cpu", ">=", "90")]
    [InlineData("cpu < 9", "cpu", "<", "9")]
    [InlineData("cpu <= 9", "cpu", "<=", "9")]
    [InlineData("cpu == 9", "cpu", "==", "9")]
    [InlineData("cpu = 9", "cpu", "==", "9")]
    [InlineData("cpu != 9", "cpu", "!=", "9")]
    [InlineData("  asc[*].Device Rejected% > 5 ", "asc[*].Device Rejected%", ">", "5")]
    [InlineData("diskio.*.%util > 90", "diskio.*.%util", ">", "90")]
    [InlineData("asc[*].Status != Sick or Dead", "asc[*].Status", "!=", "Sick or Dead")]
    [InlineData("a == x > y", "a", "==", "x > y")]
    public void A_condition_splits_at_the_first_operator_token(string text, string path, string op, string value)
    {
        var condition = Parse(text);

        Assert.Equal((path, $"{op} {value}"), (condition.Path.Text, condition.Threshold));
        Assert.Equal($"{path} {op} {value}", condition.Text);
    }

    [Fact]
    public void A_condition_may_wait_for_its_threshold()
    {
        var condition = Parse("diskio.*.%util >");

        Assert.Null(condition.Value);
        Assert.Equal("diskio.*.%util >", condition.Text);
    }

    [Theory]
    [InlineData("cpu>90", "no operator in 'cpu>90': write spaces around it, PATH OP VALUE (>, >=, <, <=, ==, !=)")]
    [InlineData("cpu 90", "no operator in 'cpu 90': write PATH OP VALUE with one of >, >=, <, <=, ==, !=")]
    [InlineData("cpu => 90", "unknown operator '=>' (use >, >=, <, <=, == or !=)")]
    [InlineData("cpu <> 90", "unknown operator '<>' (use >, >=, <, <=, == or !=)")]
    [InlineData("> 90", "bad path: nothing before the operator '>' (write PATH OP VALUE)")]
    [InlineData("", "empty: write PATH OP VALUE, e.g. filesystems.*.pcent > 90")]
    [InlineData("a..b > 1", "bad path 'a..b': empty name before the '.' at position 3")]
    public void Bad_conditions_say_why(string text, string error) => Assert.Equal(error, ParseError(text));

    [Theory]
    [InlineData("90", 90)]
    [InlineData("1.5", 1.5)]
    [InlineData("-3", -3)]
    [InlineData("5k", 5_000)]
    [InlineData("5K", 5_000)]
    [InlineData("2m", 2_000_000)]
    [InlineData("2M", 2_000_000)]
    [InlineData("1.5g", 1_500_000_000)]
    [InlineData("3t", 3e12)]
    [InlineData("1Ki", 1024)]
    [InlineData("2Mi", 2 * 1024 * 1024)]
    [InlineData("1Gi", 1024.0 * 1024 * 1024)]
    [InlineData("1Ti", 1024.0 * 1024 * 1024 * 1024)]
    [InlineData("1e3", 1000)]
    public void Numbers_take_decimal_and_binary_suffixes(string text, double expected)
    {
        Assert.True(ConditionValue.TryParseNumber(text, out var value));
        Assert.Equal(expected, value);
    }

    [Theory]
    [InlineData("Alive")]
    [InlineData("5 k")]
    [InlineData("k")]
    [InlineData("Infinity")]
    [InlineData("NaN")]
    [InlineData("5x")]
    [InlineData("Sick")]
    [InlineData("NoStart")]
    public void Other_texts_are_not_numbers(string text) => Assert.False(ConditionValue.TryParseNumber(text, out _));

    [Theory]
    [InlineData("x > 5k", """{"x":5001}""", true)]
    [InlineData("x > 5k", """{"x":5000}""", false)]
    [InlineData("x >= 5k", """{"x":5000}""", true)]
    [InlineData("x < 1Ki", """{"x":1023}""", true)]
    [InlineData("x <= 1Ki", """{"x":1025}""", false)]
    [InlineData("x == 3", """{"x":3.0}""", true)]
    [InlineData("x != 3", """{"x":4}""", true)]
    [InlineData("x > 5", """{"x":"6.5"}""", true)]
    [InlineData("x > 5", """{"x":"lots"}""", false)]
    [InlineData("x > 5", """{"x":null}""", false)]
    [InlineData("x != 5", """{"x":null}""", false)]
    [InlineData("x != 5", """{"x":"five"}""", false)]
    [InlineData("x > 5", """{"x":true}""", false)]
    public void Numeric_comparisons_need_a_number(string condition, string json, bool expected) =>
        Assert.Equal(expected, Parse(condition).Holds(JsonDocument.Parse(json).RootElement.GetProperty("x")));

    [Theory]
    [InlineData("Status != Alive", "\"Sick\"", true)]
    [InlineData("Status != Alive", "\"Alive\"", false)]
    [InlineData("Status != Alive", "\"alive\"", true)]
    [InlineData("Status == Alive", "\"Alive\"", true)]
    [InlineData("Status != \"Alive\"", "\"Dead\"", true)]
    [InlineData("Status != Alive", "null", false)]
    [InlineData("ID == \"5\"", "5", true)]
    [InlineData("ID == '5'", "\"5\"", true)]
    [InlineData("Enabled != Y", "\"N\"", true)]
    [InlineData("Enabled != Y", "\"Y\"", false)]
    [InlineData("Status != Alive", "{}", false)]
    public void String_comparisons_are_exact(string condition, string value, bool expected)
    {
        var parsed = Parse(condition);
        Assert.Equal(expected, parsed.Holds(JsonDocument.Parse(value).RootElement));
    }

    [Theory]
    [InlineData("api_ok == false", "false", true)]
    [InlineData("api_ok == false", "true", false)]
    [InlineData("api_ok != true", "false", true)]
    [InlineData("api_ok == false", "null", false)]
    [InlineData("api_ok == false", "\"false\"", false)]
    [InlineData("error == null", "null", true)]
    [InlineData("error == null", "{}", false)]
    [InlineData("error != null", "{\"kind\":\"timeout\"}", true)]
    [InlineData("error != null", "null", false)]
    public void Booleans_and_null(string condition, string value, bool expected) =>
        Assert.Equal(expected, Parse(condition).Holds(JsonDocument.Parse(value).RootElement));

    [Fact]
    public void Ordering_operators_refuse_a_value_that_is_not_a_number()
    {
        var condition = Parse("Status > Alive");

        Assert.Equal(
            "'Alive' is not a number: > compares numbers (a number may end in k, m, g, t = 10^3..10^12 or Ki, Mi, Gi, Ti = 1024^1..4)",
            Condition.CheckValue(condition.Op, condition.Value!));
        Assert.Null(Condition.CheckValue(CompareOp.NotEqual, condition.Value!));
    }

    [Fact]
    public void Hysteresis_relaxes_the_threshold_towards_normal()
    {
        var above = Parse("pcent > 90").Relaxed(5);
        var below = Parse("free < 10").Relaxed(5);

        Assert.Equal("pcent > 85", above.Text);
        Assert.Equal("free < 15", below.Text);
    }

    [Theory]
    [InlineData("pcent <= 80", "pcent <= 80")]
    [InlineData("<= 80", "pcent <= 80")]
    [InlineData("  < 1k", "pcent < 1k")]
    public void A_clear_condition_is_on_the_same_path_or_implies_it(string clear, string expected)
    {
        var parsed = Condition.TryParseClear(clear, Parse("pcent > 90"), out var error);

        Assert.Null(error);
        Assert.Equal(expected, parsed!.Text);
    }

    [Theory]
    [InlineData("ipcent < 80", "'ipcent' is not the condition's path 'pcent' (write the same path, or just OP VALUE)")]
    [InlineData("pcent <", "'pcent <' has no value: write PATH OP VALUE or OP VALUE")]
    [InlineData("< low", "'low' is not a number: < compares numbers (a number may end in k, m, g, t = 10^3..10^12 or Ki, Mi, Gi, Ti = 1024^1..4)")]
    public void Bad_clear_conditions_say_why(string clear, string expected)
    {
        Assert.Null(Condition.TryParseClear(clear, Parse("pcent > 90"), out var error));
        Assert.Equal(expected, error);
    }
}
