using System.Text.Json;
using Psistats.Agent.Cgminer;
using Psistats.Contracts.Frames;
using Psistats.TestSupport;

namespace Psistats.UnitTests.Cgminer;

public sealed class CointerraBoardsTests
{
    private static IReadOnlyList<CointerraBoard> Boards(string relative)
    {
        var bytes = File.ReadAllBytes(RepoPaths.Fixture("cgminer", relative));
        return CgminerReplies.Stats(CgminerProtocol.Parse("stats", null, bytes, terminated: true).Reply!).Boards;
    }

    private static CointerraBoard Board(string json) => CointerraBoards.Decode(JsonDocument.Parse(json).RootElement.Clone());

    [Fact]
    public void Temperatures_are_converted_from_hundredths_and_averaged_over_the_dies()
    {
        var board = Boards("cointerra-4.3.5/stats.reply")[0];

        Assert.Equal([56.71, 57.06, 56.03, 57.53, 57.96, 56.3, 55.97, 55.85], board.CoreTemps);
        // (5671+5706+5603+5753+5796+5630+5597+5585)/8/100, as cointerra-monitor computed it.
        Assert.Equal(56.68, board.AvgCoreTemp);
        Assert.Equal(57.96, board.MaxCoreTemp);
        Assert.Equal((30.19, 31.06, 31.88), (board.AmbientLow, board.AmbientAvg, board.AmbientHigh));
    }

    [Fact]
    public void Only_valid_fans_are_kept_and_every_pump()
    {
        var boards = Boards("cointerra-4.3.5/stats.reply");

        // Board 0 has 2 fans (FanRPM2 reads 0, FanRPM3 65535), board 1 has 3.
        Assert.Equal(new Dictionary<string, int> { ["FanRPM0"] = 2760, ["FanRPM1"] = 2745 }, boards[0].Fans);
        Assert.Equal(["FanRPM0", "FanRPM1", "FanRPM2"], boards[1].Fans.Keys);
        Assert.Equal(new Dictionary<string, int> { ["PumpRPM0"] = 2981, ["PumpRPM1"] = 2964 }, boards[0].Pumps);
    }

    [Fact]
    public void Dies_hardware_errors_and_live_engines_per_die()
    {
        var board = Boards("cointerra-4.3.5/stats.reply")[1];

        Assert.Equal(("CTA1", 1, 20986487L, "0.7.56"), (board.Id, board.BoardNumber, board.Serial, board.FwRevision));
        Assert.Equal((2, 8, 8), (board.Asics, board.Dies, board.DiesActive));
        Assert.Equal([6L, 4L, 8L, 3L, 7L, 5L, 10L, 2L], board.HwErrors);
        Assert.Equal(8, board.LiveEngines.Count);
        Assert.Equal(126, board.LiveEngines["Asic1Core1"]);
        Assert.Equal(128, board.LiveEngines["Asic0Core0"]);
    }

    [Fact]
    public void Decoded_keys_are_not_repeated_and_the_others_are_kept()
    {
        var board = Boards("cointerra-4.3.5/stats.reply")[0];

        Assert.DoesNotContain(board.Other!.Keys, k => k.StartsWith("CoreTemp", StringComparison.Ordinal) || k.StartsWith("FanRPM", StringComparison.Ordinal)
            || k.StartsWith("HWErrors", StringComparison.Ordinal) || k.StartsWith("Asic", StringComparison.Ordinal) || k.StartsWith("Ambient", StringComparison.Ordinal));
        Assert.Equal(840, board.Other["CoreFreqs0"].GetInt32());
        Assert.Equal("0x0000", board.Other["IRSTATUS8"].GetString());
        Assert.Equal(1026853410000L, board.Other["Hashrate"].GetInt64());
        Assert.Equal("2014-06-11", board.Other["FW Date"].GetString());
    }

    [Fact]
    public void The_earliest_firmware_bare_bitmaps_count_the_same_and_a_dead_die_leaves_the_average()
    {
        var boards = Boards("quirks/old-firmware-stats.reply");
        var current = Boards("cointerra-4.3.5/stats.reply");

        Assert.Equal(current[0].LiveEngines, boards[0].LiveEngines);
        Assert.Equal(current[0].AvgCoreTemp, boards[0].AvgCoreTemp);
        // Board 1 lost die 6 (Asic1Core2 all zero; DiesActive 7): its 57.67 C is left out of the average.
        Assert.Equal(0, boards[1].LiveEngines["Asic1Core2"]);
        Assert.Equal(7, boards[1].DiesActive);
        Assert.Equal(Math.Round((5511 + 5706 + 5782 + 5649 + 5531 + 5614 + 5775) / 7.0 / 100, 2), boards[1].AvgCoreTemp);
    }

    [Theory]
    [InlineData("128:ffffffffffffffffffffffffffffffff", 128)]
    [InlineData("ffffffffffffffffffffffffffffffff", 128)]
    [InlineData("126:fffffdffffffffffffffffdfffffffff", 126)]
    [InlineData("FFFFFDFFFFFFFFFFFFFFFFDFFFFFFFFF", 126)]
    [InlineData("0:00000000000000000000000000000000", 0)]
    [InlineData("00000000000000000000000000000000", 0)]
    [InlineData("3:zz", 3)]
    [InlineData("1:", 1)]
    public void Live_engines_are_read_from_both_bitmap_formats(string value, int live) => Assert.Equal(live, CointerraBoards.LiveEngines(value));

    [Theory]
    [InlineData("")]
    [InlineData("xyz")]
    [InlineData(":")]
    [InlineData("-1:")]
    public void An_unreadable_bitmap_has_no_count(string value) => Assert.Null(CointerraBoards.LiveEngines(value));

    [Fact]
    public void Without_dies_every_temperature_counts_and_missing_indexes_are_null()
    {
        var board = Board("""{"ID":"CTA3","CoreTemp0":4000,"CoreTemp2":6000,"FanRPM0":70000,"HWErrors1":"x"}""");

        Assert.Equal([40.0, null, 60.0], board.CoreTemps);
        Assert.Equal(50, board.AvgCoreTemp);
        Assert.Empty(board.Fans);
        Assert.Equal([null, null], board.HwErrors);
        Assert.Null(board.Other);
    }

    [Fact]
    public void Dies_beyond_the_dies_count_are_left_out_of_the_average()
    {
        var board = Board("""{"ID":"CTA0","Dies":2,"CoreTemp0":5000,"CoreTemp1":5200,"CoreTemp2":0,"CoreTemp3":0}""");

        Assert.Equal(51, board.AvgCoreTemp);
        Assert.Equal(52, board.MaxCoreTemp);
    }

    [Theory]
    [InlineData("""{"ID":"CTA0"}""", true)]
    [InlineData("""{"ID":"CTA12"}""", true)]
    [InlineData("""{"ID":"CTA"}""", false)]
    [InlineData("""{"ID":"CTAx"}""", false)]
    [InlineData("""{"ID":"BAJ0"}""", false)]
    [InlineData("""{"ID":0}""", false)]
    public void Boards_are_recognised_by_their_id(string json, bool isBoard) =>
        Assert.Equal(isBoard, CointerraBoards.IsBoard(JsonDocument.Parse(json).RootElement));
}
