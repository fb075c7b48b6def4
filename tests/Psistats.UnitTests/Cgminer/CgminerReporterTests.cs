using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.Json.Nodes;
using Psistats.Agent.Cgminer;
using Psistats.Agent.Reporters;
using Psistats.Contracts.Frames;
using Psistats.TestSupport;

namespace Psistats.UnitTests.Cgminer;

public sealed class CgminerReporterTests
{
    private static CgminerOptions Options(int port, params string[] commands) => new()
    {
        Name = "terra01",
        Host = "127.0.0.1",
        Port = port,
        Hostname = "terra01",
        Commands = commands.Length > 0 ? commands : CgminerOptions.AllCommands,
    };

    private static async Task<(ReporterReading Reading, CgminerFrame Frame)> PollAsync(CgminerOptions options, TimeProvider? time = null)
    {
        var reading = await new CgminerReporter(options, time ?? TimeProvider.System).ReadAsync(CancellationToken.None);
        return (reading, Assert.IsType<CgminerFrame>(reading.Frame));
    }

    [Fact]
    public async Task A_cointerra_poll_runs_every_command_and_fills_every_section()
    {
        await using var miner = FakeMiner.Cointerra();

        var (reading, frame) = await PollAsync(Options(miner.Port));

        Assert.Equal(ReadingStatus.Ok, reading.Status);
        Assert.True(frame.ApiOk);
        Assert.Null(frame.Error);
        Assert.Equal(8, miner.Requests); // asccount, asc 0, asc 1, coin, pools, summary, stats, devs
        Assert.Equal($"127.0.0.1:{miner.Port}", frame.ApiEndpoint);
        Assert.Equal(("cgminer 4.3.5", 1404921632L), (frame.ApiDescription, frame.ApiWhen));
        Assert.Equal(2, frame.AscCount);
        Assert.Equal([0, 1], frame.Asc!.Select(a => a.Asc));
        Assert.Equal("sha256", frame.Coin!.HashMethod);
        Assert.Equal(2, frame.Pools!.Count);
        Assert.Equal(2053411.63, frame.Summary!.MhsAv);
        Assert.Equal(["CTA0", "CTA1"], frame.Boards!.Select(b => b.Id));
        Assert.Equal(["POOL0", "POOL1"], frame.Stats!.Select(s => s.Id));
        Assert.Equal(2, frame.Devs!.Count);
    }

    [Fact]
    public async Task Only_the_configured_commands_run_and_the_other_sections_are_null()
    {
        await using var miner = FakeMiner.Cointerra();

        var (_, frame) = await PollAsync(Options(miner.Port, "summary", "stats"));

        Assert.Equal(2, miner.Requests);
        Assert.NotNull(frame.Summary);
        Assert.NotNull(frame.Boards);
        Assert.Null(frame.AscCount);
        Assert.Null(frame.Asc);
        Assert.Null(frame.Pools);
        Assert.Null(frame.Devs);
    }

    [Fact]
    public async Task Asc_asks_asccount_even_when_it_is_not_listed()
    {
        await using var miner = FakeMiner.Cointerra();

        var (_, frame) = await PollAsync(Options(miner.Port, "asc"));

        Assert.Equal(3, miner.Requests);
        Assert.Equal(2, frame.Asc!.Count);
    }

    [Fact]
    public async Task A_refused_miner_still_gives_a_frame_saying_so_after_one_attempt()
    {
        int port;
        using (var listener = new TcpListener(IPAddress.Loopback, 0))
        {
            listener.Start();
            port = ((IPEndPoint)listener.LocalEndpoint).Port;
        }

        var (reading, frame) = await PollAsync(Options(port));

        Assert.Equal(ReadingStatus.Failed, reading.Status);
        Assert.False(frame.ApiOk);
        Assert.Equal((CgminerErrorKind.Refused, "asccount"), (frame.Error!.Kind, frame.Error.Command));
        Assert.StartsWith($"127.0.0.1:{port}: asccount: refused: ", reading.Detail, StringComparison.Ordinal);
        Assert.Null(frame.Summary);
    }

    [Fact]
    public async Task A_status_error_is_reported_and_the_poll_goes_on()
    {
        await using var miner = new FakeMiner((command, _) => FakeReply.Fixture($"antminer-s9/{command}.reply"));

        var (reading, frame) = await PollAsync(Options(miner.Port, "asccount", "asc", "coin", "pools", "summary", "stats"));

        Assert.Equal(ReadingStatus.Failed, reading.Status);
        Assert.False(frame.ApiOk);
        Assert.Equal((CgminerErrorKind.StatusError, "coin", 14L, "Invalid command"), (frame.Error!.Kind, frame.Error.Command, frame.Error.Code, frame.Error.Message));
        Assert.Equal("127.0.0.1:" + miner.Port + ": coin: status_error: Invalid command (code 14)", reading.Detail);
        Assert.Equal(0, frame.AscCount);
        Assert.Empty(frame.Asc!);
        Assert.Null(frame.Coin);
        Assert.Equal(3, frame.Pools!.Count);
        Assert.Equal(224012, frame.Summary!.Accepted);
        Assert.Empty(frame.Boards!);
        Assert.Equal("bmminer 1.0.0", frame.ApiDescription);
    }

    [Fact]
    public async Task A_miner_that_never_answers_costs_one_timeout_then_the_poll_stops()
    {
        var clock = new FakeTimeProvider();
        await using var miner = new FakeMiner((_, _) => new FakeReply.Hang());
        var poll = PollAsync(Options(miner.Port), clock);
        await Eventually.TrueAsync(() => miner.Requests == 1, TimeSpan.FromSeconds(5), "the first request");

        clock.Advance(TimeSpan.FromSeconds(5));
        var (reading, frame) = await poll.WaitAsync(TimeSpan.FromSeconds(5));

        Assert.Equal(ReadingStatus.Failed, reading.Status);
        Assert.Equal(CgminerErrorKind.Timeout, frame.Error!.Kind);
        Assert.Equal(1, miner.Requests);
    }

    [Fact]
    public async Task The_frame_uses_cgminer_names_and_keeps_the_envelope_first()
    {
        await using var miner = FakeMiner.Cointerra();
        var (_, frame) = await PollAsync(Options(miner.Port));

        var json = JsonNode.Parse(FrameSerializer.ToUtf8(frame with { Hostname = "terra01", Timestamp = 1, Interval = 30, Seq = 1 }))!.AsObject();

        Assert.Equal(["hostname", "reporter", "timestamp", "interval", "seq", "api_ok", "error", "api_endpoint", "api_description", "api_when",
            "asc_count", "asc", "coin", "pools", "summary", "boards", "stats", "devs"], json.Select(p => p.Key));
        Assert.Equal("cgminer", json["reporter"]!.GetValue<string>());
        Assert.Equal(2053411.63, json["summary"]!["MHS av"]!.GetValue<double>());
        Assert.Equal(0.8638, json["asc"]![1]!["Device Rejected%"]!.GetValue<double>());
        Assert.Equal(1404921632, json["summary"]!["Last getwork"]!.GetValue<long>());
        var board = json["boards"]![0]!;
        Assert.Equal(56.68, board["avg_core_temp"]!.GetValue<double>());
        Assert.Equal(2760, board["fans"]!["FanRPM0"]!.GetValue<int>());
        Assert.Equal(840, board["CoreFreqs0"]!.GetValue<int>());
        Assert.Null(json["error"]);
    }

    [Fact]
    public async Task A_failed_frame_serialises_its_error_with_snake_case_kind()
    {
        await using var miner = new FakeMiner((_, _) => new FakeReply.Bytes("garbage\0"u8.ToArray()));
        var (_, frame) = await PollAsync(Options(miner.Port, "summary"));

        using var json = JsonDocument.Parse(FrameSerializer.ToUtf8(frame));

        var error = json.RootElement.GetProperty("error");
        Assert.False(json.RootElement.GetProperty("api_ok").GetBoolean());
        Assert.Equal("bad_json", error.GetProperty("kind").GetString());
        Assert.Equal("summary", error.GetProperty("command").GetString());
        Assert.False(error.TryGetProperty("code", out _));
    }
}
