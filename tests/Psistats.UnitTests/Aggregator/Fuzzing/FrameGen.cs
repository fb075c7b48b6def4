using System.Globalization;
using System.Text;
using CsCheck;

namespace Psistats.UnitTests.Aggregator.Fuzzing;

/// <summary>
/// CsCheck generators of frames: a template of <see cref="FrameTemplates"/> (every reporter), mostly valid, with up to three
/// nodes (any field, envelope included) replaced, removed, renamed, duplicated or joined by a random JSON value. Values are
/// JSON text written here, so that they can be what System.Text.Json never writes: <c>1e400</c>, 400-digit integers,
/// lone surrogates (<c>"\udc00x"</c>), control characters, arrays 60 to 200 levels deep, 100 KB strings.
/// Simpler choices come first in each list: CsCheck shrinks towards them.
/// </summary>
internal static class FrameGen
{
    /// <summary>The hosts frames are sent as; <c>terra01</c> and <c>terra02</c> are the bed's miners.</summary>
    public static readonly string[] Hosts = ["web01", "terra01", "terra02", "db01.example.com"];

    public static readonly string[] EnvelopeFields = ["interval", "timestamp", "seq", "hostname", "reporter"];

    public static readonly string[] Reporters =
        ["cpu", "mem", "uptime", "ipaddr", "cpu_temp", "sensors", "hddtemp", "diskio", "hddspace", "load", "net", "os", "cgminer"];

    private static readonly string[] Numbers =
    [
        "1e400", "-1e400", "1e308", "-1e308", "1e300", "4e11", "-1", "0", "-0", "1e-400", "-1e-400", "5e-324",
        "123456789012345678901234567890", "-123456789012345678901234567890", "1.7976931348623157e308", "1E+400",
        "9223372036854775807", "9223372036854775808", "-9223372036854775809", "18446744073709551616", "2147483648",
        "4294967296", "1e15", "1e16", "922337203685.4775807", "86400", "3.5", "30", "5", "91", "100", "101", "0.000001",
        "1" + new string('0', 400),
    ];

    /// <summary>JSON string literals (already escaped).</summary>
    private static readonly string[] Strings =
    [
        "\"\\udc00x\"", "\"\\ud800\"", "\"x\\udfff\"", "\"\\ud800\\ud800\"", "\"\\udc00\\ud800\"", "\"\"", "\" \"", "\"x\"",
        "\"\\u001b[31mred\\u001b[0m\"", "\"\\u0000\"", "\"a\\nb\"", "\"\\r\\n\"", "\"\\t\"", "\"Alive\"", "\"Sick\"", "\"Dead\"", "\"Y\"",
        "\"N\"", "\"95\"", "\"1e400\"", "\"-1e400\"", "\"NaN\"", "\"Infinity\"", "\"-Infinity\"", "\"0x10\"", "\"1,5\"", "\"*\"", "\"?\"",
        "\"a.b\"", "\"[*]\"", "\"../../etc/passwd\"", "\"%s%n\"", "\"{0}\"", "\"<b>x</b>\"", "\"\\\"\"", "\"\\\\\"", "\"é\"",
        "\"\\ud83d\\ude00\"", "\"😀\"", "\"\\u2028\"", "\"\\ufeff\"", "\"\\uffff\"", "\"terra01\"", "\"TERRA01\"", "\"web01\"",
        "\"2026-01-01T00:00:00Z\"", "\"true\"", "\"null\"",
        JsonTree.Quote(new string('h', 256)), JsonTree.Quote(new string('w', 255)), JsonTree.Quote(new string('x', 5000)),
    ];

    /// <summary>Member names: names the aggregator treats specially, and odd ones.</summary>
    private static readonly string[] Names =
    [
        "x", "", " ", "hostname", "reporter", "interval", "timestamp", "seq", "\udc00x", "\ud800", "a.b", "[*]", "*", "x/y", "%util",
        "Status", "ID", "Name", "name", "label", "api_ok", "asc", "boards", "live_engines", "Dies", "DiesActive", "filesystems",
        "diskio", "\u001b[0m", "\0", "é", "😀", "__proto__", new string('k', 300),
    ];

    /// <summary>Strings of about 100 KB, built once.</summary>
    private static readonly string[] Huge =
    [
        JsonTree.Quote(new string('a', 100_000)),
        JsonTree.Quote(string.Concat(Enumerable.Repeat("é", 50_000))),
        "\"" + string.Concat(Enumerable.Repeat("\\u0041", 17_000)) + "\"",
        "\"" + string.Concat(Enumerable.Repeat("\\udc00", 17_000)) + "\"",
        "[" + string.Join(",", Enumerable.Repeat("1e400", 20_000)) + "]",
    ];

    public static readonly Gen<string> Number = Gen.Frequency(
        (6, Gen.OneOf(Numbers)),
        (2, Gen.Double[-1e6, 1e6].Select(d => d.ToString("R", CultureInfo.InvariantCulture))),
        (1, Gen.Long.Select(l => l.ToString(CultureInfo.InvariantCulture))),
        (1, Gen.Int[20, 400].Select(digits => "9" + new string('7', digits))));

    public static readonly Gen<string> Text = Gen.Frequency(
        (6, Gen.OneOf(Strings)),
        (2, Gen.String.Select(JsonTree.Quote)),
        (1, Gen.Char.Array[1, 6].Select(chars => JsonTree.Quote(new string(chars)))));

    public static readonly Gen<string> Name = Gen.Frequency(
        (5, Gen.OneOf(Names)),
        (1, Gen.OneOf(Reporters)),
        (1, Gen.String));

    private static readonly Gen<string> Scalar = Gen.Frequency(
        (5, Number),
        (4, Text),
        (2, Gen.OneOf("null", "true", "false", "{}", "[]")));

    /// <summary>Arrays or objects nested 55 to 200 levels (the consumer's parser stops at 64), with a scalar at the bottom.</summary>
    public static readonly Gen<string> Deep = Gen.Select(Gen.Frequency((3, Gen.Int[55, 66]), (1, Gen.Int[67, 200])), Gen.Int[0, 2], Scalar,
        (depth, shape, bottom) =>
        {
            var text = new StringBuilder();
            for (var i = 0; i < depth; i++)
            {
                text.Append(shape == 1 || (shape == 2 && i % 2 == 1) ? "{\"a\":" : "[");
            }

            text.Append(bottom);
            for (var i = depth - 1; i >= 0; i--)
            {
                text.Append(shape == 1 || (shape == 2 && i % 2 == 1) ? '}' : ']');
            }

            return text.ToString();
        });

    private static readonly Gen<string> Composite = Gen.Frequency(
        (1, Scalar.Array[0, 5].Select(items => "[" + string.Join(",", items) + "]")),
        (1, Gen.Select(Name, Scalar).Array[0, 5].Select(members =>
            "{" + string.Join(",", members.Select(m => JsonTree.Quote(m.Item1) + ":" + m.Item2)) + "}")));

    /// <summary>Any JSON value, as text.</summary>
    public static readonly Gen<string> Value = Gen.Frequency(
        (10, Scalar),
        (3, Composite),
        (2, Deep),
        (1, Gen.OneOf(Huge)));

    /// <summary>An envelope field's value: any value, a known reporter or host (a frame sent under another reporter's name).</summary>
    private static readonly Gen<string?> EnvelopeValue = Gen.Frequency(
        (6, Value.Select(v => (string?)v)),
        (2, Gen.OneOf(Reporters).Select(r => (string?)JsonTree.Quote(r))),
        (1, Gen.OneOf(Hosts).Select(h => (string?)JsonTree.Quote(h))),
        (1, Gen.Const((string?)null)));

    private static readonly Gen<int> Target = Gen.Int[0, 100_000];

    public static readonly Gen<FrameMutation> Mutation = Gen.Frequency(
        (6, Gen.Select(Target, Value, (t, v) => new FrameMutation(MutationKind.Replace, t, "", v))),
        (4, Gen.Select(Gen.OneOf(EnvelopeFields), EnvelopeValue, (f, v) => new FrameMutation(MutationKind.Envelope, 0, f, v))),
        (1, Target.Select(t => new FrameMutation(MutationKind.Remove, t, "", null))),
        (1, Gen.Select(Target, Name, (t, n) => new FrameMutation(MutationKind.Rename, t, n, null))),
        (1, Gen.Select(Target, Name, Value, (t, n, v) => new FrameMutation(MutationKind.Insert, t, n, v))),
        (1, Gen.Select(Target, Value, (t, v) => new FrameMutation(MutationKind.Duplicate, t, "", v))));

    /// <summary>Seconds the aggregator runs after a frame: none, a few ticks, around down_after, long silences.</summary>
    public static readonly Gen<int> Gap = Gen.Frequency(
        (6, Gen.Const(0)),
        (4, Gen.Int[1, 5]),
        (3, Gen.OneOf(29, 30, 31, 60, 95)),
        (2, Gen.Int[120, 3600]),
        (1, Gen.OneOf(86_400, 30 * 86_400, 3 * 365 * 86_400)));

    /// <summary>A template index: cgminer templates four times as often (miner remediation counts consecutive polls).</summary>
    private static readonly Gen<int> Template = Gen.Frequency(
        FrameTemplates.All.Select((t, i) => (t.Reporter == "cgminer" ? 4 : 1, (IGen<int>)Gen.Const(i))).ToArray());

    public static readonly Gen<FuzzFrame> Frame = Gen.Select(Template, Gen.OneOf(Hosts), Mutation.Array[0, 3], Gap,
        (template, host, mutations, gap) => new FuzzFrame(template, host, mutations, gap));

    public static readonly Gen<FuzzCase> Case = Frame.Array[1, 12].Select(frames => new FuzzCase(frames));

    /// <summary>A body: mostly a whole frame, else corrupted.</summary>
    public static readonly Gen<FuzzBody> Body = Gen.Select(Frame, Gen.Frequency((6, Gen.Const(0)), (1, Gen.Int[1, 5])), Gen.Int[0, 1_000_000], Value,
        (frame, corruption, at, other) => new FuzzBody(frame, corruption, at, other));
}
