using Psistats.Agent.Cgminer;
using Psistats.TestSupport;

namespace Psistats.UnitTests.Cgminer;

public sealed class CgminerRepliesTests
{
    private static CgminerReply Reply(string relative)
    {
        var bytes = File.ReadAllBytes(RepoPaths.Fixture("cgminer", relative));
        var result = CgminerProtocol.Parse("x", null, bytes, terminated: bytes[^1] == 0);
        return result.Reply ?? throw new InvalidOperationException($"{relative}: {result.Error}");
    }

    [Fact]
    public void Asccount_gives_the_number_of_asics()
    {
        Assert.Equal(2, CgminerReplies.AscCount(Reply("cointerra-4.3.5/asccount.reply")));
        Assert.Equal(0, CgminerReplies.AscCount(Reply("antminer-s9/asccount.reply")));
    }

    [Fact]
    public void Asc_is_typed_under_cgminer_names()
    {
        var asc = CgminerReplies.Asc(Reply("cointerra-4.3.5/asc1.reply"))!;

        Assert.Equal((1, "CTA", 1, "Y", "Alive"), (asc.Asc, asc.Name, asc.Id, asc.Enabled, asc.Status));
        Assert.Equal(58.06, asc.Temperature);
        Assert.Equal(1026558.22, asc.MhsAv);
        Assert.Equal(1039903.48, asc.Mhs5s);
        Assert.Equal((22649L, 196L, 41L), (asc.Accepted, asc.Rejected, asc.HardwareErrors));
        Assert.Equal(0.8638, asc.DeviceRejectedPercent);
        Assert.Equal(1404921629, asc.LastShareTime);
        Assert.Equal(1404921631, asc.LastValidWork);
        Assert.False(asc.NoDevice);
        Assert.Equal(["Last Share Difficulty"], asc.Other!.Keys);
    }

    [Fact]
    public void Devs_lists_every_device()
    {
        var devs = CgminerReplies.Devs(Reply("cointerra-4.3.5/devs.reply"));

        Assert.Equal([0, 1], devs.Select(d => d.Asc));
        Assert.All(devs, d => Assert.Equal("Alive", d.Status));
    }

    [Fact]
    public void Summary_pools_and_coin_are_typed()
    {
        var summary = CgminerReplies.Summary(Reply("cointerra-4.3.5/summary.reply"))!;
        var pools = CgminerReplies.Pools(Reply("cointerra-4.3.5/pools.reply"));
        var coin = CgminerReplies.Coin(Reply("cointerra-4.3.5/coin.reply"))!;

        Assert.Equal((97213L, 2053411.63, 45300L, 410L, 78L), (summary.Elapsed, summary.MhsAv, summary.Accepted, summary.Rejected, summary.HardwareErrors));
        Assert.Equal(0.8966, summary.PoolRejectedPercent);
        Assert.Equal(["Local Work", "Network Blocks", "Last getwork"], summary.Other!.Keys);
        Assert.Equal(2, pools.Count);
        Assert.Equal(("stratum+tcp://stratum.example.net:3333", "Alive", true, 17L), (pools[0].Url, pools[0].Status, pools[0].StratumActive, pools[0].Stale));
        Assert.Equal((false, "", 0L), (pools[1].StratumActive, pools[1].StratumUrl, pools[1].LastShareTime));
        Assert.Equal(("sha256", true, 1404921297.823614), (coin.HashMethod, coin.Lp, coin.CurrentBlockTime));
        Assert.Equal(16818461371.161, coin.NetworkDifficulty);
    }

    [Fact]
    public void Stats_splits_cointerra_boards_from_other_entries_which_keep_their_keys()
    {
        var (boards, others) = CgminerReplies.Stats(Reply("cointerra-4.3.5/stats.reply"));

        Assert.Equal(["CTA0", "CTA1"], boards.Select(b => b.Id));
        Assert.Equal(["POOL0", "POOL1"], others.Select(o => o.Id));
        Assert.Equal(2, others[0].Stats);
        Assert.Equal(45301, others[0].Other!["Times Sent"].GetInt64());
    }

    [Fact]
    public void A_miner_of_another_driver_keeps_every_key_it_sends()
    {
        var (boards, others) = CgminerReplies.Stats(Reply("antminer-s9/stats.reply"));
        var summary = CgminerReplies.Summary(Reply("antminer-s9/summary.reply"))!;
        var pools = CgminerReplies.Pools(Reply("antminer-s9/pools.reply"));

        Assert.Empty(boards);
        Assert.Equal("Antminer S9", others[0].Other!["Type"].GetString());
        Assert.Null(others[0].Id);
        Assert.Equal(("BC50", 0), (others[1].Id, others[1].Stats));
        Assert.Equal("4513.07", others[1].Other!["chain_rate6"].GetString());
        Assert.Equal(65, others[1].Other!["temp_max"].GetInt32());
        Assert.Equal(13508.42, summary.Other!["GHS av"].GetDouble());
        Assert.Equal("13691.25", summary.Other!["GHS 5s"].GetString());
        Assert.Null(summary.MhsAv);
        Assert.Equal(224012, summary.Accepted);
        Assert.Equal(["Alive", "Alive", "Dead"], pools.Select(p => p.Status));
        // bmminer prints Last Share Time as "0:00:02": not Unix seconds, so left out rather than mistyped.
        Assert.Null(pools[0].LastShareTime);
        Assert.False(pools[0].Other!.ContainsKey("Last Share Time"));
        Assert.Equal("2.56K", pools[0].Other!["Diff"].GetString());
    }

    [Fact]
    public void Text_format_values_are_typed_as_the_json_ones()
    {
        var fromText = CgminerReplies.Pools(Reply("quirks/text-pools.reply"));
        var fromJson = CgminerReplies.Pools(Reply("cointerra-4.3.5/pools.reply"));

        Assert.Equal(fromJson.Select(p => (p.Pool, p.Url, p.Status, p.Accepted, p.StratumActive, p.PoolRejectedPercent, p.LastShareTime)),
            fromText.Select(p => (p.Pool, p.Url, p.Status, p.Accepted, p.StratumActive, p.PoolRejectedPercent, p.LastShareTime)));
        Assert.Equal("N", fromText[0].Other!["Long Poll"].GetString());
    }
}
