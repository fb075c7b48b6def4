using System.Text.Json;
using Psistats.TestSupport;

namespace Psistats.UnitTests.Simulator;

/// <summary>The miner's counters follow the (fake) clock: they advance with time, never go back, and restart from zero.</summary>
public sealed class MinerCounterTests
{
    private static JsonElement Asc(SimulatedMiner miner, int id) => miner.Json("asc", id.ToString(System.Globalization.CultureInfo.InvariantCulture)).GetProperty("ASC")[0];

    private static JsonElement Summary(SimulatedMiner miner) => miner.Json("summary").GetProperty("SUMMARY")[0];

    [Fact]
    public void Counters_advance_with_the_clock()
    {
        var miner = new SimulatedMiner();
        var start = miner.Clock.GetUtcNow().ToUnixTimeSeconds();
        miner.Clock.Advance(TimeSpan.FromMinutes(5));
        var before = Summary(miner);
        var ascBefore = Asc(miner, 0);

        miner.Clock.Advance(TimeSpan.FromMinutes(10));
        var after = Summary(miner);
        var ascAfter = Asc(miner, 0);

        Assert.Equal(300, before.GetProperty("Elapsed").GetInt32());
        Assert.Equal(900, after.GetProperty("Elapsed").GetInt32());
        // Two boards of about 1 TH/s: about 1.2e9 MH in 10 minutes, and about 0.11 shares per second per board.
        Assert.InRange(after.GetProperty("Total MH").GetDouble() - before.GetProperty("Total MH").GetDouble(), 1.1e9, 1.3e9);
        Assert.InRange(after.GetProperty("Accepted").GetInt64() - before.GetProperty("Accepted").GetInt64(), 100, 160);
        Assert.True(after.GetProperty("Hardware Errors").GetInt64() > before.GetProperty("Hardware Errors").GetInt64());
        Assert.True(ascAfter.GetProperty("Diff1 Work").GetInt64() > ascBefore.GetProperty("Diff1 Work").GetInt64());
        var now = miner.Clock.GetUtcNow().ToUnixTimeSeconds();
        Assert.Equal(now, ascAfter.GetProperty("Last Valid Work").GetInt64());
        Assert.InRange(ascAfter.GetProperty("Last Share Time").GetInt64(), now - 60, now);
        Assert.InRange(ascBefore.GetProperty("Last Share Time").GetInt64(), start, start + 300);
        Assert.Equal(0, ascAfter.GetProperty("Last Share Pool").GetInt32());
    }

    [Fact]
    public void Hash_rates_jitter_per_window_around_the_nominal_rate()
    {
        var miner = new SimulatedMiner();
        var rates = new List<double>();
        for (var i = 0; i < 12; i++)
        {
            miner.Clock.Advance(TimeSpan.FromSeconds(5));
            rates.Add(Asc(miner, 1).GetProperty("MHS 5s").GetDouble());
        }

        Assert.True(rates.Distinct().Count() > 6, string.Join(", ", rates));
        var average = Asc(miner, 1).GetProperty("MHS av").GetDouble();
        Assert.All(rates, r => Assert.InRange(r, average * 0.96, average * 1.04));
    }

    [Fact]
    public void The_same_seed_and_instant_give_the_same_bytes()
    {
        var clock = new FakeTimeProvider();
        var a = new SimulatedMiner(clock, seed: 7);
        var b = new SimulatedMiner(clock, seed: 7);
        var other = new SimulatedMiner(clock, seed: 8);
        clock.Advance(TimeSpan.FromSeconds(1234));

        Assert.Equal(a.Reply("stats").Bytes, b.Reply("stats").Bytes);
        Assert.NotEqual(a.Flat("stats")["STATS[CTA0].Serial"], other.Flat("stats")["STATS[CTA0].Serial"]);
    }

    [Fact]
    public void Restart_starts_the_counters_from_zero()
    {
        var miner = new SimulatedMiner();
        miner.Clock.Advance(TimeSpan.FromHours(2));
        Assert.True(Summary(miner).GetProperty("Accepted").GetInt64() > 1000);

        miner.Miner.Restart();

        var summary = Summary(miner);
        Assert.Equal(0, summary.GetProperty("Elapsed").GetInt32());
        Assert.Equal(0, summary.GetProperty("Accepted").GetInt64());
        Assert.Equal(0.0, summary.GetProperty("Total MH").GetDouble());
        Assert.Equal(-1, Asc(miner, 0).GetProperty("Last Share Pool").GetInt32());
        Assert.Equal(0, Asc(miner, 0).GetProperty("Last Share Time").GetInt64());
    }
}
