using System.Text;
using System.Text.Json;
using Psistats.Contracts.Frames;
using Psistats.Contracts.Schema;

namespace Psistats.UnitTests.Contracts;

public sealed class FrameTests
{
    public static TheoryData<Frame> Frames() =>
    [
        new CpuFrame { Hostname = "web01.example.com", Timestamp = 1795290238.944, Interval = 2, Seq = 7, Cpu = 42.5, CpuCores = [15, 70], IoWait = 2.5, Steal = 5 },
        new MemFrame { Hostname = "h", Timestamp = 1, Interval = 2, Seq = 1, Mem = 44.1, MemTotal = 2107518976, MemAvailable = 1178025984, MemUsed = 929492992 },
        new UptimeFrame { Hostname = "h", Timestamp = 1, Interval = 60, Seq = 2, Uptime = 480.07 },
        new IpAddrFrame
        {
            Hostname = "h", Timestamp = 1, Interval = 120, Seq = 3, IpAddr = ["192.0.2.2", "fd00::2"],
            Interfaces = new Dictionary<string, InterfaceAddresses> { ["eth0"] = new() { IPv4 = ["192.0.2.2"], IPv6 = ["fd00::2"] } },
        },
        new CpuTempFrame { Hostname = "h", Timestamp = 1, Interval = 5, Seq = 4, CpuTemp = null, Source = null },
    ];

    [Theory]
    [MemberData(nameof(Frames))]
    public void Envelope_comes_first_with_psistats_names(Frame frame)
    {
        using var json = JsonDocument.Parse(FrameSerializer.ToUtf8(frame));
        var names = json.RootElement.EnumerateObject().Select(p => p.Name).ToList();

        Assert.Equal(["hostname", "reporter", "timestamp", "interval", "seq"], names.Take(5));
        Assert.Equal(frame.Reporter, json.RootElement.GetProperty("reporter").GetString());
        Assert.True(json.RootElement.TryGetProperty(frame.Reporter, out _), $"the value field '{frame.Reporter}' is at top level");
        Assert.Equal(names.Count, names.Distinct(StringComparer.OrdinalIgnoreCase).Count());
    }

    [Theory]
    [MemberData(nameof(Frames))]
    public void Round_trip_keeps_every_value(Frame frame)
    {
        var bytes = FrameSerializer.ToUtf8(frame);
        var typeInfo = FrameJsonContext.Default.GetTypeInfo(frame.GetType())!;

        var back = (Frame)JsonSerializer.Deserialize(bytes, typeInfo)!;

        Assert.Equal(Encoding.UTF8.GetString(bytes), Encoding.UTF8.GetString(FrameSerializer.ToUtf8(back)));
    }

    [Theory]
    [MemberData(nameof(Frames))]
    public void Every_frame_passes_the_envelope_check_consumers_use(Frame frame)
    {
        var rejection = FrameEnvelope.TryParse(FrameSerializer.ToUtf8(frame), 65536, out var envelope, out _);

        Assert.Equal(FrameRejection.None, rejection);
        Assert.Equal(frame.Hostname, envelope!.Hostname);
        Assert.Equal(frame.Reporter, envelope.Reporter);
        Assert.Equal(frame.Timestamp, envelope.Timestamp);
        Assert.Equal(frame.Interval, envelope.Interval);
    }

    [Theory]
    [InlineData("not json", FrameRejection.InvalidJson)]
    [InlineData("{\"hostname\":\"h\",", FrameRejection.InvalidJson)]
    [InlineData("[1,2]", FrameRejection.NotAnObject)]
    [InlineData("{\"reporter\":\"cpu\"}", FrameRejection.MissingHostname)]
    [InlineData("{\"hostname\":\"\",\"reporter\":\"cpu\"}", FrameRejection.MissingHostname)]
    [InlineData("{\"hostname\":42,\"reporter\":\"cpu\"}", FrameRejection.MissingHostname)]
    [InlineData("{\"hostname\":\"h\"}", FrameRejection.MissingReporter)]
    [InlineData("{\"hostname\":\"h\",\"reporter\":null}", FrameRejection.MissingReporter)]
    [InlineData("{\"hostname\":\"h\",\"reporter\":\"cpu\",\"a\":[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]}", FrameRejection.InvalidJson)]
    [InlineData("{\"hostname\":\"h\",\"reporter\":\"cpu\",\"interval\":1e400}", FrameRejection.OutOfRange)]
    [InlineData("{\"hostname\":\"h\",\"reporter\":\"cpu\",\"interval\":-1e400}", FrameRejection.OutOfRange)]
    [InlineData("{\"hostname\":\"h\",\"reporter\":\"cpu\",\"interval\":1e300}", FrameRejection.OutOfRange)]
    [InlineData("{\"hostname\":\"h\",\"reporter\":\"cpu\",\"interval\":4e11}", FrameRejection.OutOfRange)]
    [InlineData("{\"hostname\":\"h\",\"reporter\":\"cpu\",\"interval\":-0.5}", FrameRejection.OutOfRange)]
    [InlineData("{\"hostname\":\"h\",\"reporter\":\"cpu\",\"timestamp\":-1}", FrameRejection.OutOfRange)]
    [InlineData("{\"hostname\":\"h\",\"reporter\":\"cpu\",\"timestamp\":1e308}", FrameRejection.OutOfRange)]
    [InlineData("{\"hostname\":\"h\",\"reporter\":\"cpu\",\"seq\":1.5}", FrameRejection.OutOfRange)]
    [InlineData("{\"hostname\":\"h\",\"reporter\":\"cpu\",\"seq\":-3}", FrameRejection.OutOfRange)]
    [InlineData("{\"hostname\":\"h\",\"reporter\":\"cpu\",\"seq\":123456789012345678901234567890}", FrameRejection.OutOfRange)]
    [InlineData("{\"hostname\":\"h\",\"reporter\":\"cpu\",\"note\":\"\\udc00x\"}", FrameRejection.InvalidText)]
    [InlineData("{\"hostname\":\"h\",\"reporter\":\"cpu\",\"a\":[{\"\\ud800\":1}]}", FrameRejection.InvalidText)]
    [InlineData("{\"hostname\":\"\\ud800\",\"reporter\":\"cpu\"}", FrameRejection.InvalidText)]
    public void Unusable_bodies_are_rejected_with_a_reason(string body, FrameRejection expected)
    {
        Assert.Equal(expected, FrameEnvelope.TryParse(Encoding.UTF8.GetBytes(body), 65536, out var envelope, out var detail));
        Assert.Null(envelope);
        Assert.False(string.IsNullOrEmpty(detail));

        // Read in place, the same body is rejected alike.
        Assert.Equal(expected, FrameEnvelope.TryParseInPlace(Encoding.UTF8.GetBytes(body), 65536, out var parsed, out var inPlaceDetail));
        Assert.Null(parsed);
        Assert.Equal(detail, inPlaceDetail);
    }

    [Fact]
    public void Invalid_utf8_is_rejected_as_invalid_json() =>
        Assert.Equal(FrameRejection.InvalidJson, FrameEnvelope.TryParse(new byte[] { 0x7b, 0xff, 0xfe, 0x7d }, 100, out _, out _));

    [Fact]
    public void Oversized_bodies_are_rejected_before_parsing()
    {
        var body = Encoding.UTF8.GetBytes($"{{\"hostname\":\"h\",\"reporter\":\"cpu\",\"pad\":\"{new string('x', 2000)}\"}}");

        Assert.Equal(FrameRejection.TooLarge, FrameEnvelope.TryParse(body, 1024, out _, out var detail));
        Assert.Contains("1024", detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_reporters_and_fields_are_kept_whole()
    {
        var body = Encoding.UTF8.GetBytes("{\"hostname\":\"m1\",\"reporter\":\"cgminer\",\"timestamp\":\"late\",\"api_ok\":false}");

        Assert.Equal(FrameRejection.None, FrameEnvelope.TryParse(body, 1024, out var envelope, out _));
        Assert.Null(envelope!.Timestamp);
        Assert.False(envelope.Body.GetProperty("api_ok").GetBoolean());
    }

    [Fact]
    public void In_place_the_frame_reads_the_body_itself_until_disposed_and_a_copy_outlives_it()
    {
        var body = Encoding.UTF8.GetBytes("{\"hostname\":\"m1\",\"reporter\":\"cpu\",\"interval\":2,\"cpu\":7.5}");

        Assert.Equal(FrameRejection.None, FrameEnvelope.TryParseInPlace(body, 1024, out var parsed, out _));
        var envelope = parsed!.Envelope;
        Assert.Equal(("m1", "cpu", (double?)2), (envelope.Hostname, envelope.Reporter, envelope.Interval));
        Assert.True(envelope.Utf8.Span.SequenceEqual(body));
        var kept = envelope.Body.GetProperty("cpu").Clone();

        body[^4] = (byte)'9'; // the delivery's buffer reused: the in-place frame sees it
        Assert.Equal(9.5, envelope.Body.GetProperty("cpu").GetDouble());
        parsed.Dispose();

        Assert.Throws<ObjectDisposedException>(() => envelope.Body.GetProperty("cpu"));
        Assert.Equal(7.5, kept.GetDouble());
    }

    [Fact]
    public void The_schema_ships_inside_the_contracts_assembly()
    {
        using var schema = JsonDocument.Parse(FrameSchema.Read());

        Assert.Equal("https://json-schema.org/draft/2020-12/schema", schema.RootElement.GetProperty("$schema").GetString());
        var reporters = schema.RootElement.GetProperty("allOf").EnumerateArray()
            .Select(c => c.GetProperty("if").GetProperty("properties").GetProperty("reporter").GetProperty("const").GetString())
            .ToList();
        // The catalog's host reporters, then the proxy-mode reporter, which is configured per miner ([cgminer:NAME]), not in the catalog.
        Assert.Equal(Psistats.Agent.Reporters.ReporterCatalog.All.Select(d => d.Name).Append(CgminerFrame.Name), reporters);
    }

    [Theory]
    [InlineData("{\"hostname\":\"h\",\"reporter\":\"cpu\",\"note\":\"\\ud83d\\ude00 \\\\udc00\"}")]
    [InlineData("{\"hostname\":\"h\",\"reporter\":\"cpu\",\"interval\":2592000,\"timestamp\":253402300799,\"seq\":9007199254740992}")]
    [InlineData("{\"hostname\":\"h\",\"reporter\":\"cpu\",\"interval\":null,\"timestamp\":null,\"seq\":0}")]
    [InlineData("{\"hostname\":\"h\",\"reporter\":\"cpu\",\"interval\":0,\"timestamp\":0,\"seq\":\"7\"}")]
    public void Valid_text_and_numbers_at_their_bounds_are_accepted(string body)
    {
        Assert.Equal(FrameRejection.None, FrameEnvelope.TryParse(Encoding.UTF8.GetBytes(body), 65536, out var envelope, out var detail));
        Assert.Null(detail);
        Assert.NotNull(envelope);
    }

    [Fact]
    public void An_out_of_range_number_is_named_in_the_detail()
    {
        FrameEnvelope.TryParse("{\"hostname\":\"h\",\"reporter\":\"cpu\",\"interval\":4e11}"u8.ToArray(), 65536, out _, out var detail);

        Assert.Equal("'interval' 4e11 is outside [0, 2592000]", detail);
    }
}
