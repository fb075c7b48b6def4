using System.Numerics;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Psistats.UnitTests.Simulator;

/// <summary>Each report command answers with cgminer 4.3.5's sections, keys (verbatim, in api.c's order) and number formats.</summary>
public sealed class ApiCommandTests
{
    private readonly SimulatedMiner _miner = new();

    public ApiCommandTests() => _miner.Clock.Advance(TimeSpan.FromMinutes(10));

    private static string[] Keys(JsonElement item) => item.EnumerateObject().Select(p => p.Name).ToArray();

    private static void AssertStatus(JsonElement reply, string severity, int code, string msg)
    {
        var status = reply.GetProperty("STATUS")[0];
        Assert.Equal(["STATUS", "When", "Code", "Msg", "Description"], Keys(status));
        Assert.Equal(severity, status.GetProperty("STATUS").GetString());
        Assert.Equal(code, status.GetProperty("Code").GetInt32());
        Assert.Equal(msg, status.GetProperty("Msg").GetString());
        Assert.Equal("cgminer 4.3.5", status.GetProperty("Description").GetString());
        Assert.Equal(1, reply.GetProperty("id").GetInt32());
    }

    [Fact]
    public void Asc_has_every_ascstatus_key_in_order()
    {
        var reply = _miner.Json("asc", "0");

        AssertStatus(reply, "S", 106, "ASC0");
        Assert.Equal(["STATUS", "ASC", "id"], Keys(reply));
        Assert.Equal(
            ["ASC", "Name", "ID", "Enabled", "Status", "Temperature", "MHS av", "MHS 5s", "MHS 1m", "MHS 5m", "MHS 15m", "Accepted", "Rejected",
             "Hardware Errors", "Utility", "Last Share Pool", "Last Share Time", "Total MH", "Diff1 Work", "Difficulty Accepted", "Difficulty Rejected",
             "Last Share Difficulty", "No Device", "Last Valid Work", "Device Hardware%", "Device Rejected%", "Device Elapsed"],
            Keys(reply.GetProperty("ASC")[0]));
        var asc = reply.GetProperty("ASC")[0];
        Assert.Equal("CTA", asc.GetProperty("Name").GetString());
        Assert.Equal("Y", asc.GetProperty("Enabled").GetString());
        Assert.Equal("Alive", asc.GetProperty("Status").GetString());
        Assert.Equal(_miner.Clock.GetUtcNow().ToUnixTimeSeconds(), asc.GetProperty("Last Valid Work").GetInt64());
    }

    [Fact]
    public void Asccount_devs_and_devdetails_list_both_boards()
    {
        var count = _miner.Json("asccount");
        AssertStatus(count, "S", 104, "ASC count");
        Assert.Equal(2, count.GetProperty("ASCS")[0].GetProperty("Count").GetInt32());

        var devs = _miner.Json("devs");
        AssertStatus(devs, "S", 9, "2 ASC(s)");
        Assert.Equal([0, 1], devs.GetProperty("DEVS").EnumerateArray().Select(d => d.GetProperty("ASC").GetInt32()));
        Assert.Equal(Keys(_miner.Json("asc", "1").GetProperty("ASC")[0]), Keys(devs.GetProperty("DEVS")[1]));

        var details = _miner.Json("devdetails").GetProperty("DEVDETAILS");
        Assert.Equal(["DEVDETAILS", "Name", "ID", "Driver", "Kernel", "Model", "Device Path"], Keys(details[0]));
        Assert.Equal("cointerra", details[1].GetProperty("Driver").GetString());
    }

    [Fact]
    public void Summary_has_the_totals()
    {
        var reply = _miner.Json("summary");

        AssertStatus(reply, "S", 11, "Summary");
        var summary = reply.GetProperty("SUMMARY")[0];
        Assert.Equal(
            ["Elapsed", "MHS av", "MHS 5s", "MHS 1m", "MHS 5m", "MHS 15m", "Found Blocks", "Getworks", "Accepted", "Rejected", "Hardware Errors",
             "Utility", "Discarded", "Stale", "Get Failures", "Local Work", "Remote Failures", "Network Blocks", "Total MH", "Work Utility",
             "Difficulty Accepted", "Difficulty Rejected", "Difficulty Stale", "Best Share", "Device Hardware%", "Device Rejected%", "Pool Rejected%",
             "Pool Stale%", "Last getwork"],
            Keys(summary));
        Assert.Equal(600, summary.GetProperty("Elapsed").GetInt32());
        Assert.InRange(summary.GetProperty("MHS av").GetDouble(), 1.9e6, 2.1e6);
        var devs = _miner.Json("devs").GetProperty("DEVS").EnumerateArray().ToList();
        Assert.Equal(devs.Sum(d => d.GetProperty("Accepted").GetInt64()), summary.GetProperty("Accepted").GetInt64());
        Assert.Equal(devs.Sum(d => d.GetProperty("Rejected").GetInt64()), summary.GetProperty("Rejected").GetInt64());
    }

    [Fact]
    public void Pools_has_both_pools_with_their_keys()
    {
        var reply = _miner.Json("pools");

        AssertStatus(reply, "S", 7, "2 Pool(s)");
        var pools = reply.GetProperty("POOLS");
        Assert.Equal(
            ["POOL", "URL", "Status", "Priority", "Quota", "Long Poll", "Getworks", "Accepted", "Rejected", "Works", "Discarded", "Stale",
             "Get Failures", "Remote Failures", "User", "Last Share Time", "Diff1 Shares", "Proxy Type", "Proxy", "Difficulty Accepted",
             "Difficulty Rejected", "Difficulty Stale", "Last Share Difficulty", "Has Stratum", "Stratum Active", "Stratum URL", "Has GBT",
             "Best Share", "Pool Rejected%", "Pool Stale%"],
            Keys(pools[0]));
        Assert.Equal("stratum+tcp://stratum.example.net:3333", pools[0].GetProperty("URL").GetString());
        Assert.Equal("Alive", pools[0].GetProperty("Status").GetString());
        Assert.True(pools[0].GetProperty("Stratum Active").GetBoolean());
        Assert.False(pools[1].GetProperty("Stratum Active").GetBoolean());
        Assert.Equal(_miner.Json("summary").GetProperty("SUMMARY")[0].GetProperty("Accepted").GetInt64(), pools[0].GetProperty("Accepted").GetInt64());
    }

    [Fact]
    public void Stats_has_the_cointerra_boards_then_the_pools()
    {
        var reply = _miner.Json("stats");

        AssertStatus(reply, "S", 70, "CGMiner stats");
        var stats = reply.GetProperty("STATS").EnumerateArray().ToList();
        Assert.Equal(["CTA0", "CTA1", "POOL0", "POOL1"], stats.Select(s => s.GetProperty("ID").GetString()));
        Assert.Equal([0, 1, 2, 3], stats.Select(s => s.GetProperty("STATS").GetInt32()));
        foreach (var board in stats.Take(2))
        {
            var keys = Keys(board);
            Assert.Equal(["STATS", "ID", "Elapsed", "Calls", "Wait", "Max", "Min", "HW Revision", "Serial", "Asics", "Dies", "Cores"], keys.Take(12));
            Assert.Equal(["CoreFmatch7", "USB Pipe", "USB Delay", "USB tmo"], keys.TakeLast(4));
            Assert.Equal(8, board.GetProperty("Dies").GetInt32());
            Assert.Equal(8, board.GetProperty("DiesActive").GetInt32());
            for (var c = 0; c < 8; c++)
            {
                // Hundredths of a degree: a core runs at 60..80 C.
                Assert.InRange(board.GetProperty($"CoreTemp{c}").GetInt32(), 6000, 8000);
                Assert.Contains($"HWErrors{c}", keys);
                Assert.Contains($"Core{c} hashrate", keys);
            }

            Assert.InRange(board.GetProperty("Ambient Avg").GetInt32(), 2500, 4000);
            Assert.True(board.GetProperty("Ambient Low").GetInt32() < board.GetProperty("Ambient Avg").GetInt32());
            Assert.True(board.GetProperty("Ambient Avg").GetInt32() < board.GetProperty("Ambient High").GetInt32());
            Assert.InRange(board.GetProperty("PumpRPM0").GetInt32(), 2000, 3500);
            Assert.InRange(board.GetProperty("PumpRPM1").GetInt32(), 2000, 3500);
            Assert.InRange(board.GetProperty("FanRPM0").GetInt32(), 1500, 3500);
            Assert.Equal("0x0000", board.GetProperty("IRSTATUS8").GetString());
        }

        // Board 0 expects 2 fans, board 1 expects 3; the other headers read 0 or >= 65000.
        Assert.Equal(0, stats[0].GetProperty("FanRPM2").GetInt32());
        Assert.Equal(65535, stats[0].GetProperty("FanRPM3").GetInt32());
        Assert.InRange(stats[1].GetProperty("FanRPM2").GetInt32(), 1500, 3500);
        Assert.InRange(stats[1].GetProperty("FanRPM3").GetInt32(), 65000, 65535);
        Assert.Equal(["STATS", "ID", "Elapsed", "Calls", "Wait", "Max", "Min", "Pool Calls"], Keys(stats[2]).Take(8));
    }

    [Fact]
    public void Asic_core_bitmaps_count_their_live_engines()
    {
        var board = _miner.Json("stats").GetProperty("STATS")[0];

        for (var asic = 0; asic < 2; asic++)
        {
            for (var core = 0; core < 4; core++)
            {
                var text = board.GetProperty($"Asic{asic}Core{core}").GetString()!;
                var match = Regex.Match(text, "^([0-9]+):([0-9a-f]{32})$");
                Assert.True(match.Success, text);
                var live = Convert.FromHexString(match.Groups[2].Value).Sum(b => BitOperations.PopCount(b));
                Assert.Equal(int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture), live);
                Assert.InRange(live, 124, 128);
            }
        }
    }

    [Fact]
    public void Version_config_and_coin()
    {
        var version = _miner.Json("version");
        AssertStatus(version, "S", 22, "CGMiner versions");
        Assert.Equal("4.3.5", version.GetProperty("VERSION")[0].GetProperty("CGMiner").GetString());

        var config = _miner.Json("config");
        AssertStatus(config, "S", 33, "CGMiner config");
        Assert.Equal(2, config.GetProperty("CONFIG")[0].GetProperty("ASC Count").GetInt32());
        Assert.Equal(2, config.GetProperty("CONFIG")[0].GetProperty("Pool Count").GetInt32());

        var coin = _miner.Json("coin");
        AssertStatus(coin, "S", 78, "CGMiner coin");
        Assert.Equal(["Hash Method", "Current Block Time", "Current Block Hash", "LP", "Network Difficulty"], Keys(coin.GetProperty("COIN")[0]));
        Assert.Matches("^0{16}[0-9a-f]{48}$", coin.GetProperty("COIN")[0].GetProperty("Current Block Hash").GetString());
    }

    [Theory]
    [InlineData("asc|0", "\"MHS av\":[0-9]+\\.[0-9]{2},")]
    [InlineData("asc|0", "\"Temperature\":[0-9]+\\.[0-9]{2},")]
    [InlineData("asc|0", "\"Total MH\":[0-9]+\\.[0-9]{4},")]
    [InlineData("asc|0", "\"Difficulty Accepted\":[0-9]+\\.[0-9]{8},")]
    [InlineData("asc|0", "\"Device Rejected%\":[0-9]+\\.[0-9]{4},")]
    [InlineData("asc|0", "\"Device Elapsed\":600}")]
    [InlineData("asc|0", "\"No Device\":false,")]
    [InlineData("summary", "\"Elapsed\":600,")]
    [InlineData("summary", "\"Utility\":[0-9]+\\.[0-9]{2},")]
    [InlineData("stats", "\"Wait\":0\\.000000,\"Max\":0\\.000000,\"Min\":99999999\\.000000,")]
    [InlineData("stats", "\"CoreTemp0\":[0-9]{4},")]
    [InlineData("stats", "\"Power Used\":[0-9]+\\.[0-9]{6},")]
    [InlineData("stats", "\"IRVOUT1\":0\\.[0-9]{6},")]
    [InlineData("coin", "\"Current Block Time\":[0-9]{10}\\.[0-9]{6},")]
    [InlineData("coin", "\"LP\":true,")]
    public void Numbers_are_written_as_cgminer_prints_them(string request, string pattern)
    {
        var parts = request.Split('|');
        var json = _miner.Text(SimulatedMiner.JsonRequest(parts[0], parts.Length > 1 ? parts[1] : null));

        Assert.Matches(pattern, json);
    }
}
